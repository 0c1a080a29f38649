package dev.cortado.tensor;

/**
 * {@code torch.histc}: counts of the elements in bins of equal width between min and max (both 0:
 * the data's own range; an empty range is widened by 1 each way, as PyTorch does). An element goes
 * to the bin whose float32 edges (PyTorch's linspace) hold it, max to the last bin; elements
 * outside, and NaN, are left out. Not differentiable.
 */
final class Histograms {
    private Histograms() {
    }

    static Tensor histc(Tensor x, int bins, double min, double max) {
        String op = "histc";
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + x.dtype());
        }
        if (bins <= 0) {
            throw new IllegalArgumentException(op + ": bins must be > 0, got " + bins);
        }
        double lo = (float) min;
        double hi = (float) max;
        if (lo == hi && x.numel() > 0) {
            lo = x.detach().min().item();
            hi = x.detach().max().item();
        }
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        if (!(lo < hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException(op + ": range of [" + lo + ", " + hi + "] is not finite, or max is not larger than min");
        }
        Tensor flat = x.detach().reshape(-1);
        Tensor edges = Creation.linspace(lo, hi, bins + 1, x.device());
        Tensor bin = Tensor.searchsorted(edges, flat, true).sub(1).clamp(0, bins - 1);
        Tensor inside = flat.ge(lo).mul(flat.le(hi));
        return bin.bincount(inside, bins);
    }
}
