package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

/** Rules for in-place writes, which bypass autograd. */
final class InPlace {
    private InPlace() {
    }

    static void check(String op, Tensor t) {
        if (GradMode.isEnabled() && (t.requiresGrad)) {
            throw new IllegalStateException(op + ": a tensor that requires grad is being used in an in-place operation; "
                    + "wrap the update in try (var g = GradMode.off()) { ... }");
        }
    }

    /** Writes src (broadcast to dst's shape, converted to dst's dtype) into dst's elements. */
    static void copy(String op, Tensor dst, Tensor src) {
        check(op, dst);
        Kernels.sameDevice(op, dst, src);
        int[] shape = Shapes.broadcast(op, dst.shape, src.shape);
        if (!java.util.Arrays.equals(shape, dst.shape)) {
            throw new IllegalArgumentException(op + ": source of shape " + Shapes.str(src.shape)
                    + " cannot be broadcast to destination shape " + Shapes.str(dst.shape));
        }
        Kernels.backend(dst).copy(dst, Kernels.broadcastTo(src, dst.shape));
    }
}
