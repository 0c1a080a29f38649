package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.ReduceOp;

/**
 * {@code torch.linalg.vector_norm}: (Σ|x|^p)^(1/p) over dims, or max |x| for p = ∞, with
 * PyTorch's gradient, which is 0 where the norm is 0 (the composite's 0/0 would be NaN) and
 * shares an ∞-norm's gradient evenly among the elements that reach the maximum.
 */
final class Norms {
    private Norms() {
    }

    static Tensor vectorNorm(Tensor x, double p, int[] dims, boolean keepdim) {
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm: the order p must be positive (or infinity), got " + p);
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("norm: input dtype must be floating point, got " + x.dtype());
        }
        int[] ds = dims == null || dims.length == 0 || x.dim() == 0 ? Shapes.all(x.dim()) : Shapes.dims("norm", dims, x.dim());
        boolean infinity = Double.isInfinite(p);
        if (infinity) {
            for (int d : ds) {
                if (x.shape[d] == 0) {
                    throw new IllegalArgumentException("norm: the infinity norm of an empty dimension is undefined (dimension " + d
                            + " of shape " + Shapes.str(x.shape) + ")");
                }
            }
        }
        Tensor norm;
        try (var off = GradMode.off()) {
            Tensor a = x.abs();
            norm = infinity ? Reductions.reduce(ReduceOp.MAX, a, ds, true)
                    : p == 2 ? a.square().sum(ds, true).sqrt()
                    : p == 1 ? a.sum(ds, true)
                    : a.pow(p).sum(ds, true).pow(1 / p);
        }
        Tensor kept = norm;
        Tensor out = keepdim ? Kernels.view(norm, norm.shape, norm.strides, 0) : Reductions.withoutDims(norm, ds);
        return Autograd.record(out, "LinalgVectorNormBackward0",
                Autograd.saved(x, kept), (g, n) -> {
                    Tensor grad = keepdim ? g : g.reshape(kept.shape);
                    // The output itself, not its plain copy, so that a createGraph pass sees it move with x.
                    Tensor value = out.reshape(kept.shape);
                    Tensor zero = Pointwise.scalarFor(grad, 0);
                    if (infinity) {
                        Tensor hit = x.abs().eq(kept);
                        return new Tensor[] {x.sign().mul(hit).mul(grad.div(hit.sum(ds, true)))};
                    }
                    if (p == 1) {
                        return new Tensor[] {x.sign().mul(grad)};
                    }
                    if (p == 2) {
                        return new Tensor[] {x.mul(Tensor.where(kept.eq(0), zero, grad.div(value)))};
                    }
                    Tensor scale = Tensor.where(kept.eq(0), zero, grad.div(value.pow(p - 1)));
                    Tensor up = x.sign().mul(x.abs().pow(p - 1));
                    // Below p = 1, |x|^(p-1) is infinite at 0; that element's gradient is taken as 0.
                    return new Tensor[] {Tensor.where(x.eq(0), zero, up.mul(scale))};
                }, x);
    }
}
