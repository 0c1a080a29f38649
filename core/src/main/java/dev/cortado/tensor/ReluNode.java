package dev.cortado.tensor;

import dev.cortado.autograd.Node;
import dev.cortado.backend.BinaryOp;

/**
 * ReLU's backward for float32: the gradient where the output is positive, zero elsewhere. A node
 * class of its own so that a max pool reading this output can hand its gradient straight through
 * (see {@link MaxPoolNode}).
 */
final class ReluNode extends Node {
    private Tensor out;
    private final SavedVersions saved;

    ReluNode(Tensor out, Node[] next) {
        super("ReluBackward0", next);
        this.out = out;
        this.saved = new SavedVersions(out);
    }

    /** The ReLU's output, which the node saved. */
    Tensor output() {
        return out;
    }

    @Override
    protected Tensor[] apply(Tensor g) {
        if (out == null) {
            throw freed();
        }
        saved.check(name());
        if (dev.cortado.autograd.GradMode.isEnabled()) {
            // Recorded, for a pass that records its gradients' graph: the mask is a constant of it.
            return new Tensor[] {g.mul(out.gt(0))};
        }
        return new Tensor[] {Pointwise.binary(BinaryOp.RELU_BACKWARD, g, out)};
    }

    @Override
    protected void release() {
        out = null;
    }
}
