package dev.cortado.tensor;

/**
 * lerp, addcmul, addcdiv, isnan / isinf / isfinite and nan_to_num, composed from elementwise ops
 * with PyTorch's formulas and operation order, so they run and differentiate on every backend.
 */
final class ElementwiseComposites {
    private ElementwiseComposites() {
    }

    /** PyTorch's two-sided form, exact at both ends: start + w (end - start) for |w| < ½, else end - (end - start)(1 - w). */
    static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        Tensor diff = end.sub(start);
        Tensor low = start.add(weight.mul(diff));
        Tensor high = end.sub(diff.mul(weight.rsub(1)));
        return Tensor.where(weight.abs().lt(0.5), low, high);
    }

    static Tensor lerp(Tensor start, Tensor end, double weight) {
        Tensor diff = end.sub(start);
        return Math.abs(weight) < 0.5 ? start.add(diff.mul(weight)) : end.sub(diff.mul(1 - weight));
    }

    /** self + value · t1 · t2, multiplied in that order. */
    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value) {
        return self.add(t1.mul(value).mul(t2));
    }

    /** self + value · t1 / t2. */
    static Tensor addcdiv(Tensor self, Tensor t1, Tensor t2, double value) {
        return self.add(t1.mul(value).div(t2));
    }

    static Tensor isnan(Tensor x) {
        return x.ne(x);
    }

    static Tensor isinf(Tensor x) {
        return x.abs().eq(Double.POSITIVE_INFINITY);
    }

    /** Neither NaN nor infinite: |x| < inf is false for both. */
    static Tensor isfinite(Tensor x) {
        return x.abs().lt(Double.POSITIVE_INFINITY);
    }

    /**
     * NaN, +inf and -inf replaced by the given values (null: 0, the largest and the lowest finite
     * float32, PyTorch's defaults); the gradient passes only where x was finite.
     */
    static Tensor nanToNum(Tensor x, Double nan, Double posinf, Double neginf) {
        if (x.dtype() != DType.FLOAT32) {
            return x;
        }
        double n = nan == null ? 0 : nan;
        double pi = posinf == null ? Float.MAX_VALUE : posinf;
        double ni = neginf == null ? -Float.MAX_VALUE : neginf;
        Tensor out = Tensor.where(x.eq(Double.NEGATIVE_INFINITY), x.newFull(new int[0], ni), x);
        out = Tensor.where(x.eq(Double.POSITIVE_INFINITY), x.newFull(new int[0], pi), out);
        return Tensor.where(isnan(x), x.newFull(new int[0], n), out);
    }

    /** {@code torch.logit(x, eps)}: log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is not null. */
    static Tensor logit(Tensor x, Double eps) {
        Tensor z = eps == null ? x : x.clamp(eps, 1 - eps);
        return z.div(z.neg().add(1)).log();
    }

    /**
     * {@code torch.xlogy(x, y)}: x · log(y), and 0 where x is 0 unless y is NaN, as PyTorch defines
     * it; its gradients are PyTorch's, log(y) for x (also where x is 0) and x / y for y.
     */
    static Tensor xlogy(Tensor x, Tensor y) {
        Tensor value;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            Tensor zero = x.eq(0).mul(y.isnan().eq(0));
            value = Tensor.where(zero, x.newFull(new int[0], 0), x.mul(y.log()));
        }
        int[] sx = x.shape;
        int[] sy = y.shape;
        // As PyTorch's: x's gradient is xlogy(g, y), so a zero g gives 0 even where log y is
        // infinite, and 0 where x is 0 and y is not positive.
        return Autograd.record(value, "XlogyBackward0", Autograd.saved(x, y), (g, n) -> new Tensor[] {
            n[0] ? Autograd.sumTo(Tensor.where(x.eq(0).mul(y.le(0)), g.newFull(new int[0], 0), xlogy(g, y)), sx) : null,
            n[1] ? Autograd.sumTo(g.mul(x).div(y), sy) : null}, x, y);
    }

    /** 1 / sqrt(x), with PyTorch's node and gradient -½ g r³. */
    static Tensor rsqrt(Tensor x) {
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            out = x.pow(-0.5);
        }
        return Autograd.record(out, "RsqrtBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.mul(-0.5).mul(out.pow(3))}, x);
    }

    /** 1 / x, with PyTorch's node and gradient -g r². */
    static Tensor reciprocal(Tensor x) {
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            out = x.pow(-1);
        }
        return Autograd.record(out, "ReciprocalBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {g.neg().mul(out.mul(out))}, x);
    }

    /**
     * {@code torch.fmax}/{@code fmin}: the larger (smaller) of the two, ignoring a NaN unless both
     * are; on a tie, a. The gradient goes whole to the one taken, as PyTorch's.
     */
    static Tensor nanIgnoringExtreme(Tensor a, Tensor b, boolean max) {
        String name = max ? "fmax" : "fmin";
        Kernels.sameDevice(name, a, b);
        Shapes.broadcast(name, a.shape, b.shape);
        Tensor takeA;
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            takeA = (max ? a.ge(b) : a.le(b)).add(b.isnan()).gt(0);
            out = Tensor.where(takeA, a, b);
        }
        int[] sa = a.shape;
        int[] sb = b.shape;
        return Autograd.record(out, max ? "FmaxBackward0" : "FminBackward0", Autograd.saved(takeA), (g, n) -> {
            Tensor zero = Pointwise.scalarFor(g, 0);
            return new Tensor[] {
                    n[0] ? Autograd.sumTo(Tensor.where(takeA, g, zero), sa) : null,
                    n[1] ? Autograd.sumTo(Tensor.where(takeA, zero, g), sb) : null};
        }, a, b);
    }

    /** Logical and, or, xor of "nonzero" (NaN counts as true), as a float32 0/1 mask like the comparisons. */
    static Tensor logical(Tensor a, Tensor b, String op) {
        String name = "logical_" + op;
        Kernels.sameDevice(name, a, b);
        Shapes.broadcast(name, a.shape, b.shape);
        Tensor x = a.ne(0);
        Tensor y = b.ne(0);
        return switch (op) {
            case "and" -> x.mul(y);
            case "or" -> x.add(y).gt(0);
            default -> x.ne(y);
        };
    }

    /**
     * {@code torch.logaddexp} (base e) and {@code logaddexp2} (base 2): the larger plus
     * log1p(e^-|a - b|) (scaled for base 2), a where both are the same infinity; PyTorch's
     * gradients, g / (1 + e^(b - a)) for a and the mirror for b (base 2: 2^(b - a)).
     */
    static Tensor logAddExp(Tensor a, Tensor b, boolean base2) {
        String name = base2 ? "logaddexp2" : "logaddexp";
        Kernels.sameDevice(name, a, b);
        Shapes.broadcast(name, a.shape, b.shape);
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            out = logAddExpValue(a, b, base2);
        }
        int[] sa = a.shape;
        int[] sb = b.shape;
        return Autograd.record(out, base2 ? "Logaddexp2Backward0" : "LogaddexpBackward0", Autograd.saved(a, b), (g, n) -> new Tensor[] {
            n[0] ? Autograd.sumTo(g.div(power(b.sub(a), base2).add(1)), sa) : null,
            n[1] ? Autograd.sumTo(g.div(power(a.sub(b), base2).add(1)), sb) : null}, a, b);
    }

    /** The value of logaddexp without a graph (also the step of logcumsumexp's scan). */
    static Tensor logAddExpValue(Tensor a, Tensor b, boolean base2) {
        Tensor hi = a.maximum(b);
        Tensor lo = a.minimum(b);
        Tensor sum = base2 ? lo.sub(hi).exp2().log1p().mul(1 / Math.log(2)).add(hi) : lo.sub(hi).exp().log1p().add(hi);
        // Both the same infinity: that infinity, where inf - inf would give NaN.
        return Tensor.where(lo.eq(hi).mul(lo.isinf()), a, sum);
    }

    private static Tensor power(Tensor x, boolean base2) {
        return base2 ? x.exp2() : x.exp();
    }

    /** sin(πx) / (πx), 1 at 0; PyTorch's gradient (πx cos πx - sin πx) / (πx²), 0 at 0. */
    static Tensor sinc(Tensor x) {
        Tensor out;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            Tensor px = x.mul(Math.PI);
            out = Tensor.where(x.eq(0), x.newFull(new int[0], 1), px.sin().div(px));
        }
        return Autograd.record(out, "SincBackward0", Autograd.saved(x), (g, n) -> {
            Tensor px = x.mul(Math.PI);
            Tensor slope = px.mul(px.cos()).sub(px.sin()).div(px.mul(x));
            return new Tensor[] {Tensor.where(x.eq(0), g.newFull(new int[0], 0), slope).mul(g)};
        }, x);
    }

    /** The step function: values where x is 0, else 1 above 0 and 0 below (and at NaN), as {@code torch.heaviside}. */
    static Tensor heaviside(Tensor x, Tensor values) {
        Kernels.sameDevice("heaviside", x, values);
        Shapes.broadcast("heaviside", x.shape, values.shape);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            return Tensor.where(x.eq(0), values, x.gt(0));
        }
    }
}
