package dev.cortado.autograd;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.List;

/**
 * Gradients of outputs with respect to chosen inputs, returned instead of accumulated, as
 * {@code torch.autograd.grad}: no tensor's {@code grad()} changes (retained gradients excepted,
 * as in PyTorch), and only the part of the graph between the outputs and the inputs runs. The
 * inputs may be leaves or intermediate results.
 *
 * <pre>{@code
 * Tensor image = batch.requiresGrad_(true);
 * Tensor saliency = Gradients.grad(model.call(image).max(), image)[0].abs();
 * }</pre>
 */
public final class Gradients {
    private Gradients() {
    }

    /** d output / d input for each input; output must hold one element. The graph is freed. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(List.of(output), List.of(inputs), null, false, false);
    }

    /**
     * The sum over outputs of each output's vector-Jacobian product with its gradOutput, with
     * respect to each input. gradOutputs may be null when every output holds one element (each
     * is then seeded with 1). retainGraph keeps the graph for another backward pass. An input
     * that the outputs do not depend on is an error unless allowUnused, which gives it null.
     */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean retainGraph,
            boolean allowUnused) {
        return grad(outputs, inputs, gradOutputs, retainGraph, false, allowUnused);
    }

    /**
     * As {@link #grad(List, List, List, boolean, boolean)}; with createGraph the gradients carry
     * a graph of their own (as {@code create_graph=True}), so a function of them, a gradient
     * penalty or a Hessian-vector product, can be back-propagated again. A gradOutput that
     * requires grad is then differentiated through too. Keep retainGraph true if the first graph
     * is needed again, which a penalty added to the loss usually does.
     */
    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean retainGraph,
            boolean createGraph, boolean allowUnused) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("grad: no outputs given");
        }
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException("grad: " + gradOutputs.size() + " gradOutputs given for " + outputs.size() + " outputs");
        }
        Node[] roots = new Node[outputs.size()];
        Tensor[] seeds = new Tensor[outputs.size()];
        for (int i = 0; i < roots.length; i++) {
            Tensor out = outputs.get(i);
            roots[i] = out.requiresGrad() ? out.gradientEdge() : null;
            if (roots[i] == null) {
                throw new IllegalArgumentException("grad: output " + i + " does not require grad and does not have a grad_fn");
            }
            seeds[i] = seed(i, out, gradOutputs == null ? null : gradOutputs.get(i), createGraph);
        }
        Node[] edges = new Node[inputs.size()];
        for (int i = 0; i < edges.length; i++) {
            Tensor in = inputs.get(i);
            edges[i] = in.requiresGrad() ? in.gradientEdge() : null;
            if (edges[i] == null) {
                throw new IllegalArgumentException("grad: input " + i + " does not require grad, so it has no gradient to compute");
            }
        }
        Tensor[] grads = Engine.grad(roots, seeds, edges, retainGraph, createGraph);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + Shapes.str(inputs.get(i).shape())
                        + ") was not used to compute the outputs; pass allowUnused=true to get null for it");
            }
        }
        return grads;
    }

    private static Tensor seed(int i, Tensor out, Tensor given, boolean createGraph) {
        if (given == null) {
            if (out.numel() != 1) {
                throw new IllegalArgumentException("grad: a gradient can be created implicitly only for outputs of one element; output " + i
                        + " has shape " + Shapes.str(out.shape()) + ", so pass gradOutputs");
            }
            return Tensor.ones(out.shape(), out.dtype(), out.device());
        }
        if (!java.util.Arrays.equals(given.shape(), out.shape())) {
            throw new IllegalArgumentException("grad: gradOutputs[" + i + "] has shape " + Shapes.str(given.shape()) + " but output " + i
                    + " has shape " + Shapes.str(out.shape()));
        }
        if (given.dtype() != out.dtype() || !given.device().equals(out.device())) {
            throw new IllegalArgumentException("grad: gradOutputs[" + i + "] is a " + given.dtype() + " tensor on " + given.device()
                    + " but output " + i + " is " + out.dtype() + " on " + out.device());
        }
        return createGraph ? given : given.detach();
    }
}
