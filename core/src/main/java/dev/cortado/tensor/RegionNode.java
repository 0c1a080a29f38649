package dev.cortado.tensor;

import dev.cortado.autograd.Node;
import dev.cortado.backend.BinaryOp;

/**
 * The backward of a view that takes positions start, start + step, ... along one dim (narrow,
 * slice, select): the input's gradient is zeros but for that region, which holds the view's
 * gradient. It can also add into a gradient the engine is already summing for the input, so the
 * views of one tensor share one buffer.
 */
final class RegionNode extends Node {
    private final int[] inputShape;
    private final int dim;
    private final int start;
    private final int step;
    /** Whether the view dropped dim (select), so its gradient lacks it. */
    private final boolean dropsDim;

    RegionNode(String name, Tensor input, int dim, int start, int step, boolean dropsDim) {
        super(name, Autograd.edges(input));
        this.inputShape = input.shape.clone();
        this.dim = dim;
        this.start = start;
        this.step = step;
        this.dropsDim = dropsDim;
    }

    @Override
    protected Tensor[] apply(Tensor g) {
        return new Tensor[] {accumulate(null, g)};
    }

    @Override
    protected Tensor accumulate(Tensor buffer, Tensor g) {
        Tensor part = dropsDim ? g.unsqueeze(dim) : g;
        if (buffer == null) {
            return ViewOps.embed(part, inputShape, dim, start, step);
        }
        Tensor window = ViewOps.region(buffer, part.shape, dim, start, step);
        Kernels.backend(buffer).binary(BinaryOp.ADD, window, window, part);
        return buffer;
    }
}
