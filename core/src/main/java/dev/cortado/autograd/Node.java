package dev.cortado.autograd;

import dev.cortado.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One recorded operation of the autograd graph: maps the gradient of its output to the
 * gradients of its inputs. {@code next[i]} is where input i's gradient goes (another node, a
 * leaf's accumulator, or null when that input needs none).
 */
public abstract class Node {
    private final String name;
    final Node[] next;

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
