package dev.cortado.tensor;

import dev.cortado.autograd.Node;
import dev.cortado.backend.Backend;
import dev.cortado.backend.Pool2dParams;

/**
 * Max pooling's backward: the output gradient scattered to each window's maximum. When the
 * pooled input is a ReLU's output that nothing else reads, the ReLU's backward comes along in the
 * same pass ({@link Backend#maxPool2dBackwardThroughRelu}): the scatter keeps an output's
 * gradient only where the pooled value (the ReLU's output at its maximum) is not at most 0, which is
 * exactly where the ReLU's backward would have kept it, so the full-size gradient is written once
 * instead of written, read back and written again.
 */
final class MaxPoolNode extends Node {
    private Tensor input;
    private Tensor x;
    private Tensor out;
    private Tensor indices;
    private final Pool2dParams p;
    private final SavedVersions savedIndices;
    private final SavedVersions savedThroughRelu;

    /** input as the caller gave it, x its contiguous form that was pooled with p. */
    MaxPoolNode(Tensor input, Tensor x, Tensor out, Tensor indices, Pool2dParams p, Node[] next) {
        super("MaxPool2DWithIndicesBackward0", next);
        this.input = input;
        this.x = x;
        this.out = out;
        this.indices = indices;
        this.p = p;
        this.savedIndices = new SavedVersions(indices);
        this.savedThroughRelu = new SavedVersions(out, x);
    }

    @Override
    protected Tensor[] apply(Tensor g) {
        checkSaved();
        savedIndices.check(name());
        Tensor gx = Kernels.emptyLike(x, DType.FLOAT32);
        Kernels.backend(x).maxPool2dBackward(gx, g.contiguous(), indices, p);
        if (!dev.cortado.autograd.GradMode.isEnabled()) {
            return new Tensor[] {gx};
        }
        // A createGraph pass: gx is linear in g, and its adjoint picks each window's maximum (none
        // for a window that reached no pixel, index -1).
        Tensor at = indices;
        int[] shape = g.shape();
        return new Tensor[] {Autograd.record(gx, "MaxPool2DWithIndicesBackwardBackward0", (gg, n) -> {
            Tensor flat = at.flatten(2);
            Tensor missing = flat.lt(0);
            Tensor picked = gg.flatten(2).gather(2, Tensor.where(missing, flat.mul(0), flat));
            return new Tensor[] {Tensor.where(missing, picked.mul(0), picked).view(shape)};
        }, g)};
    }

    @Override
    protected Tensor[] applyThrough(Node producer, Tensor g) {
        checkSaved();
        // The ReLU's output is the pooled tensor itself (a ReLU's output is always a new
        // contiguous tensor); the check only keeps the shortcut honest should that change.
        if (!(producer instanceof ReluNode relu) || relu.output() != input || x != input) {
            return null;
        }
        savedIndices.check(name());
        // The pooled values stand in for the ReLU's output, which its node would have checked.
        savedThroughRelu.check(relu.name());
        Tensor gx = Kernels.emptyLike(x, DType.FLOAT32);
        Kernels.backend(x).maxPool2dBackwardThroughRelu(gx, g.contiguous(), indices, p, out, x);
        return new Tensor[] {gx};
    }

    private void checkSaved() {
        if (x == null) {
            throw freed();
        }
    }

    @Override
    protected void release() {
        input = null;
        x = null;
        out = null;
        indices = null;
    }
}
