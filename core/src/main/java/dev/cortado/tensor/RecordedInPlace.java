package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

import java.util.function.UnaryOperator;

/**
 * In-place arithmetic that autograd records, as PyTorch does for a ResNet block's
 * {@code out += identity} or a mask applied with {@code x *= mask} during the forward pass:
 * the update is computed out of place, with its node, written into the destination's memory,
 * and the destination's node becomes the update's. Only a destination whose memory no view
 * shares is updated so; PyTorch would re-derive such views' nodes (its CopySlices), which
 * Cortado does not, so their gradients would miss the update.
 */
final class RecordedInPlace {
    private RecordedInPlace() {
    }

    /** Whether an in-place update of dst by the others goes into the graph: grad mode is on and one of them requires grad. */
    static boolean needed(Tensor dst, Tensor... others) {
        return GradMode.isEnabled() && (dst.requiresGrad || Autograd.needed(others));
    }

    /**
     * dst = update(self) with the update's node, where self is dst itself or, when the update's
     * backward reads it ({@code readsDst}), a copy of it taken first (the write would change the
     * values the node saved). The caller has checked devices and that the result has dst's shape.
     */
    static void apply(String op, Tensor dst, boolean readsDst, UnaryOperator<Tensor> update) {
        if (dst.requiresGrad && dst.gradFn == null) {
            throw InPlace.leafRequiringGrad(op);
        }
        if (dst.version.views() > 0) {
            throw new IllegalStateException(op + ": the tensor of shape " + Shapes.str(dst.shape) + " is, or shares its memory with, a view "
                    + "(view, reshape, narrow, transpose, ...); an in-place update recorded here would leave that view's gradient "
                    + "without it, so use the out-of-place op (x = x.add(y) rather than x.add_(y))");
        }
        if (dst.dtype() != DType.FLOAT32) {
            throw InPlace.int64Result(op, "an int64 tensor updated in place with one that requires grad");
        }
        Tensor result = update.apply(readsDst ? ViewOps.clone(dst) : dst);
        Kernels.backend(dst).copy(dst, result);
        InPlace.written(dst);
        dst.gradFn = result.gradFn;
        dst.requiresGrad = true;
    }
}
