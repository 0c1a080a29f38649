package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

import java.util.function.UnaryOperator;

/**
 * In-place arithmetic that autograd records, as PyTorch does for a ResNet block's
 * {@code out += identity}, a mask applied with {@code x *= mask}, or rows of a preallocated
 * output filled with {@code out.select(0, i).copy_(row)}: the update is computed out of place,
 * with its node, and written into the destination's memory. A destination that is not a view
 * takes the update's node; a view's base takes a {@link ViewGradients#copySlices} node, and every
 * view of that memory re-derives its node from the base's new one.
 */
final class RecordedInPlace {
    private RecordedInPlace() {
    }

    /** Whether an in-place update of dst by the others goes into the graph: grad mode is on and one of them requires grad. */
    static boolean needed(Tensor dst, Tensor... others) {
        dst.syncView();
        return GradMode.isEnabled() && (dst.requiresGrad || Autograd.needed(others));
    }

    /**
     * dst = update(self) with the update's node, where self is dst itself or, when the update's
     * backward reads it ({@code readsDst}), a copy of it taken first (the write would change the
     * values the node saved). The caller has checked devices and that the result has dst's shape.
     */
    static void apply(String op, Tensor dst, boolean readsDst, UnaryOperator<Tensor> update) {
        dst.syncView();
        if (dst.requiresGrad && dst.gradFn == null) {
            throw InPlace.leafRequiringGrad(op);
        }
        Tensor base = dst.viewBase;
        if (base != null && !dst.viewTracksGraph) {
            throw new IllegalStateException(op + ": a view made with grad mode off is being updated in place with grad mode on, "
                    + "which is ambiguous (PyTorch refuses it too); make the view and update it both inside GradMode.off() or both outside");
        }
        if (base != null && base.requiresGrad && base.gradFn == null) {
            throw new IllegalStateException(op + ": a view of a leaf tensor that requires grad is being used in an in-place operation; "
                    + "update the leaf inside try (var g = GradMode.off()) { ... }, or update a clone() of it");
        }
        if (dst.dtype() != DType.FLOAT32) {
            throw InPlace.int64Result(op, "an int64 tensor updated in place with one that requires grad");
        }
        Tensor result = update.apply(readsDst ? ViewOps.clone(dst) : dst);
        Kernels.backend(dst).copy(dst, result);
        InPlace.written(dst);
        if (base == null) {
            dst.replaceGradFn(result.gradFn);
            dst.requiresGrad = true;
        } else {
            base.replaceGradFn(ViewGradients.copySlices(base, dst, base.gradientEdge(), result.gradFn));
            base.requiresGrad = true;
        }
        // Every view of this memory, dst itself if it is one, now takes its node from the base's new one.
        dst.version.graphRewritten();
    }
}
