package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

/** isclose, allclose and equal: comparisons of whole tensors that tests and notebooks make. */
final class Closeness {
    private Closeness() {
    }

    static Tensor isclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        if (rtol < 0 || atol < 0) {
            throw new IllegalArgumentException("isclose: rtol and atol must be non-negative, got rtol=" + rtol + ", atol=" + atol);
        }
        Kernels.sameDevice("isclose", a, b);
        Shapes.broadcast("isclose", a.shape, b.shape);
        try (var off = GradMode.off()) {
            Tensor fa = a.to(DType.FLOAT32);
            Tensor fb = b.to(DType.FLOAT32);
            // Equal covers equal infinities, whose difference is NaN; the bound covers finite
            // differences only, as in PyTorch (inf against -inf is within an infinite bound).
            Tensor error = fa.sub(fb).abs();
            Tensor close = fa.eq(fb).add(error.le(fb.abs().mul(rtol).add(atol)).mul(error.lt(Double.POSITIVE_INFINITY)));
            if (equalNan) {
                close = close.add(fa.ne(fa).mul(fb.ne(fb)));
            }
            return close.gt(0);
        }
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        Tensor close = isclose(a, b, rtol, atol, equalNan);
        return close.numel() == 0 || close.min().item() == 1;
    }

    static boolean equal(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape, b.shape)) {
            return false;
        }
        Kernels.sameDevice("equal", a, b);
        if (a.numel() == 0) {
            return true;
        }
        try (var off = GradMode.off()) {
            return a.eq(b).min().item() == 1;
        }
    }
}
