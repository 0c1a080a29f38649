package dev.cortado.tensor;

import dev.cortado.autograd.FunctionNode;
import dev.cortado.autograd.GradMode;
import dev.cortado.autograd.Node;

/** Records an op in the graph when grad mode is on and an input requires grad. */
final class Autograd {
    private Autograd() {
    }

    static boolean needed(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            t.syncView();
            if (t.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    static Tensor record(Tensor out, String name, FunctionNode.Backward backward, Tensor... inputs) {
        countView(out, inputs);
        if (!needed(inputs)) {
            return out;
        }
        return attach(out, new FunctionNode(name, edges(inputs), backward));
    }

    /** As {@link #record}, for a node of its own class, made only when an input needs a gradient. */
    static Tensor recordNode(Tensor out, java.util.function.Supplier<Node> node, Tensor... inputs) {
        countView(out, inputs);
        if (!needed(inputs)) {
            return out;
        }
        return attach(out, node.get());
    }

    /**
     * Marks out as a view of the base of an input whose memory it shares (PyTorch's
     * {@code _base}), so that a recorded in-place update of either re-derives the other's node
     * ({@link ViewGradients}). A view made with grad mode off does not follow its base's graph.
     */
    private static void countView(Tensor out, Tensor[] inputs) {
        for (Tensor in : inputs) {
            if (in.version == out.version) {
                out.viewBase = in.viewBase != null ? in.viewBase : in;
                out.viewTracksGraph = GradMode.isEnabled() && (in.viewBase == null || in.viewTracksGraph);
                out.viewEpoch = out.version.graphEpoch();
                return;
            }
        }
    }

    /**
     * As {@link #record}, for a backward that reads the data of the {@code saved} tensors: it
     * refuses to run once any of them has been written in place since ({@link SavedVersions}).
     */
    static Tensor record(Tensor out, String name, Tensor[] saved, FunctionNode.Backward backward, Tensor... inputs) {
        countView(out, inputs);
        if (!needed(inputs)) {
            return out;
        }
        SavedVersions versions = new SavedVersions(saved);
        return attach(out, new FunctionNode(name, edges(inputs), (g, needs) -> {
            versions.check(name);
            return backward.apply(g, needs);
        }));
    }

    /**
     * backward, for a node whose formula computes with kernels that record nothing (PyTorch's
     * {@code once_differentiable}); inputEdges are the node's next edges. In a pass that records
     * its gradients' graph (createGraph), the gradients it makes lead, with the incoming one, to a
     * node that refuses by name to be back-propagated through, so that differentiating them again
     * is an error rather than a gradient silently missing a term.
     */
    static FunctionNode.Backward once(String name, FunctionNode.Backward backward, Node[] inputEdges) {
        return (g, needs) -> {
            Tensor[] grads = backward.apply(g, needs);
            if (!GradMode.isEnabled()) {
                return grads;
            }
            // What the gradients depend on: the forward's inputs and the incoming gradient.
            Node[] sources = java.util.Arrays.copyOf(inputEdges, inputEdges.length + 1);
            sources[inputEdges.length] = g.requiresGrad() ? g.gradientEdge() : null;
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] != null) {
                    grads[i] = attach(grads[i].detach(), new FunctionNode("DelayedError", sources, (gg, n) -> {
                        throw new UnsupportedOperationException(name + ": its backward is not differentiable, so the gradient it made"
                                + " in a createGraph pass cannot be back-propagated through again (no double backward for this op)");
                    }));
                }
            }
            return grads;
        };
    }

    /** The tensors a backward reads, for {@link #record(Tensor, String, Tensor[], FunctionNode.Backward, Tensor...)}. */
    static Tensor[] saved(Tensor... tensors) {
        return tensors;
    }

    /** Where each input's gradient goes, for a node of its own class. */
    static Node[] edges(Tensor... inputs) {
        Node[] next = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            next[i] = inputs[i].gradientEdge();
        }
        return next;
    }

    /** Makes node out's gradient function (the caller checked {@link #needed}). */
    static Tensor attach(Tensor out, Node node) {
        out.gradFn = node;
        out.requiresGrad = true;
        return out;
    }

    /** Sums a broadcast gradient back down to {@code shape} (the inverse of broadcasting). */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (java.util.Arrays.equals(g.shape, shape)) {
            return g;
        }
        int lead = g.dim() - shape.length;
        int count = 0;
        int[] dims = new int[g.dim()];
        for (int i = 0; i < g.dim(); i++) {
            if (i < lead || shape[i - lead] == 1 && g.shape[i] != 1) {
                dims[count++] = i;
            }
        }
        if (count == 0) {
            return g.reshape(shape); // only leading dims of size 1 to drop (an empty dims list would sum everything)
        }
        Tensor s = g.sum(java.util.Arrays.copyOf(dims, count), true);
        return s.reshape(shape);
    }
}
