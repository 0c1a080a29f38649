package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

/**
 * {@code torch.nansum} and {@code torch.nanmean}: sums and means that leave NaN out. The gradient
 * is the sum's, times 0 at a NaN, as PyTorch forms it, so a slice of NaNs alone, whose mean
 * divides by a count of 0, gets NaN gradients, as in PyTorch.
 */
final class NanReductions {
    private NanReductions() {
    }

    static Tensor nansum(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            return x.sum(dims, keepdim);
        }
        return nansum(x, x.isnan().eq(0), dims, keepdim);
    }

    static Tensor nanmean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("nanmean: input dtype must be floating point, got " + x.dtype());
        }
        Tensor number = x.isnan().eq(0);
        return nansum(x, number, dims, keepdim).div(number.sum(dims, keepdim));
    }

    /** The sum of x where number (a 0/1 mask of x's shape) is 1. */
    private static Tensor nansum(Tensor x, Tensor number, int[] dims, boolean keepdim) {
        Tensor total;
        try (var off = GradMode.off()) {
            total = Tensor.where(number, x, x.newFull(new int[0], 0)).sum(dims, keepdim);
        }
        int[] kept = Reductions.keptShape(x.shape, dims, true);
        int[] shape = x.shape;
        return Autograd.record(total, "NansumBackward0", (g, n) -> new Tensor[] {g.reshape(kept).expand(shape).mul(number)}, x);
    }
}
