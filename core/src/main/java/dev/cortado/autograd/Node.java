package dev.cortado.autograd;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One recorded operation of the autograd graph: maps the gradient of its output to the
 * gradients of its inputs. {@code next[i]} is where input i's gradient goes (another node, a
 * leaf's accumulator, or null when that input needs none).
 */
public abstract class Node {
    private final String name;
    final Node[] next;
    /** Replaced, never changed, on (un)registering, so a hook may remove itself while they run. */
    private List<UnaryOperator<Tensor>> preHooks = List.of();
    private Consumer<Tensor> retainsGradHook;

    protected Node(String name, Node[] next) {
        this.name = name;
        this.next = next;
    }

    /** PyTorch-style name, e.g. {@code MulBackward0}. */
    public String name() {
        return name;
    }

    /** The nodes this one sends gradients to, in input order (nulls for inputs without grad). */
    public List<Node> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /**
     * Registers a hook on the gradient of this node's output, run before the node uses it, as
     * PyTorch's {@code Node.register_prehook}: a non-null return value replaces the gradient (it
     * must keep its shape, dtype and device). {@code Tensor.registerHook} registers here.
     */
    public final RemovableHandle registerPrehook(UnaryOperator<Tensor> hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerPrehook: hook is null");
        }
        // A wrapper of its own, so that a hook registered twice runs twice and each handle removes one.
        UnaryOperator<Tensor> entry = hook::apply;
        List<UnaryOperator<Tensor>> added = new ArrayList<>(preHooks);
        added.add(entry);
        preHooks = added;
        return new RemovableHandle(() -> {
            List<UnaryOperator<Tensor>> left = new ArrayList<>(preHooks);
            left.remove(entry);
            preHooks = left;
        });
    }

    /**
     * Sets (or clears, with null) the one hook that receives the output's gradient after every
     * pre-hook has run, whatever their order of registration: where {@code Tensor.retainGrad}
     * keeps it, as PyTorch 2's retains-grad hook does.
     */
    public final void retainsGradHook(Consumer<Tensor> hook) {
        retainsGradHook = hook;
    }

    /** Whether a hook sees this node's gradient, so the engine must hand it over as it is. */
    final boolean hooked() {
        return !preHooks.isEmpty() || retainsGradHook != null;
    }

    /** The gradient after the pre-hooks, which the retains-grad hook then sees. */
    final Tensor runHooks(Tensor g) {
        for (UnaryOperator<Tensor> hook : preHooks) {
            Tensor replaced = hook.apply(g);
            if (replaced != null) {
                if (!Arrays.equals(replaced.shape(), g.shape()) || replaced.dtype() != g.dtype()
                        || !replaced.device().equals(g.device())) {
                    throw new IllegalStateException("a gradient hook on " + name + " returned a " + replaced.dtype() + " tensor of shape "
                            + Shapes.str(replaced.shape()) + " on " + replaced.device() + " for a " + g.dtype() + " gradient of shape "
                            + Shapes.str(g.shape()) + " on " + g.device() + "; a hook must keep all three");
                }
                g = replaced;
            }
        }
        if (retainsGradHook != null) {
            retainsGradHook.accept(g);
        }
        return g;
    }

    /** Whether input i receives a gradient at all. */
    protected final boolean needsInputGrad(int i) {
        return next[i] != null;
    }

    /** Gradients of the inputs, aligned with {@link #nextFunctions()}; entries may be null. */
    protected abstract Tensor[] apply(Tensor gradOutput);

    /**
     * As {@link #apply}, for a gradient whose storage no other gradient still pending in this
     * backward pass shares: the node may keep it instead of copying it (a leaf's accumulator makes
     * it the leaf's {@code grad}, as PyTorch does when nothing else holds the gradient).
     */
    protected Tensor[] applySole(Tensor gradOutput) {
        return apply(gradOutput);
    }

    /**
     * The gradients of {@code producer}'s inputs, aligned with its {@link #nextFunctions()},
     * computed in one step where {@code apply} and then producer's own apply would take two; or
     * null (the default) when this node has no such shortcut for producer. Producer made this
     * node's only input, and the engine asks only when no other node sends producer a gradient,
     * so the shortcut must give exactly what the two steps would.
     */
    protected Tensor[] applyThrough(Node producer, Tensor gradOutput) {
        return null;
    }

    /**
     * For a view's backward, whose one input's gradient is zeros but for the region the view
     * covers, which holds the output's gradient: adds gradOutput into that region of buffer, a
     * gradient shaped like the input that nothing but the engine holds, and returns it; with a null
     * buffer, returns a new such gradient that nothing else holds. Null (the default) where the node
     * has no such form. Every view of one tensor (an RNN's time steps, an LSTM's gates) then adds
     * into one buffer, where each would make a zero-filled gradient of the whole input and the
     * engine would add them all up.
     */
    protected Tensor accumulate(Tensor buffer, Tensor gradOutput) {
        return null;
    }

    /** The error for a backward through this node after {@link #release} dropped its saved tensors. */
    protected final IllegalStateException freed() {
        return new IllegalStateException("backward: trying to backward through the graph a second time (" + name
                + " has already freed its saved tensors); pass retainGraph=true to the first backward");
    }

    /** Drops saved tensors once the graph has been back-propagated without retainGraph. */
    protected void release() {
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
