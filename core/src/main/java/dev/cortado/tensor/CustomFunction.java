package dev.cortado.tensor;

import dev.cortado.autograd.FunctionNode;

/**
 * A differentiable op defined by its result and a backward formula, like PyTorch's
 * {@code torch.autograd.Function}: for ops whose composite gradient would be wrong or unstable
 * somewhere (at a kink, or through an overflow).
 *
 * <pre>{@code
 * Tensor out;
 * try (var g = GradMode.off()) { out = x.mul(2); }
 * return CustomFunction.record(out, "TimesTwoBackward", (grad, needs) -> new Tensor[] {grad.mul(2)}, x);
 * }</pre>
 *
 * <p>As in PyTorch, a createGraph backward pass runs the formula with grad mode on: written with
 * tensor ops, as above, it is recorded and can be differentiated again, reading saved inputs and
 * outputs (which carry their graphs) rather than copies of them.
 */
public final class CustomFunction {
    private CustomFunction() {
    }

    /**
     * Links {@code out} (computed without autograd) to {@code inputs} through {@code backward},
     * when grad mode is on and an input requires grad; returns {@code out}.
     */
    public static Tensor record(Tensor out, String name, FunctionNode.Backward backward, Tensor... inputs) {
        if (out.gradFn != null || out.requiresGrad) {
            throw new IllegalArgumentException(name + ": the result passed to CustomFunction.record must be computed with grad mode off");
        }
        return Autograd.record(out, name, backward, inputs);
    }

    /**
     * As {@link #record(Tensor, String, FunctionNode.Backward, Tensor...)}, for a backward that
     * reads the data of the {@code saved} tensors (PyTorch's {@code ctx.save_for_backward}): the
     * backward pass refuses to run, naming the tensor, once one of them has been modified in place
     * since. Null entries are skipped.
     */
    public static Tensor record(Tensor out, String name, Tensor[] saved, FunctionNode.Backward backward, Tensor... inputs) {
        if (out.gradFn != null || out.requiresGrad) {
            throw new IllegalArgumentException(name + ": the result passed to CustomFunction.record must be computed with grad mode off");
        }
        return Autograd.record(out, name, saved, backward, inputs);
    }
}
