package dev.cortado.tensor;

/**
 * {@code torch.cov} and {@code torch.corrcoef} of variables in rows and observations in columns,
 * in PyTorch's steps: the mean as sum / n, a product of the centred rows, divided by n - correction
 * (0 when that is not positive, giving inf and NaN as PyTorch does after its warning).
 */
final class Covariance {
    private Covariance() {
    }

    static Tensor cov(Tensor x, int correction) {
        if (x.dim() > 2) {
            throw new IllegalArgumentException("cov: expected input to have two or fewer dimensions but got an input with " + x.dim() + " dimensions");
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("cov: expected a float32 tensor, got " + x.dtype());
        }
        Tensor rows = x.dim() < 2 ? x.reshape(1, -1) : x;
        int n = rows.size(1);
        Tensor mean = rows.sum(new int[] {1}, true).div(n);
        Tensor centred = rows.sub(mean);
        double norm = Math.max(n - correction, 0);
        return centred.mm(centred.t()).div(norm).squeeze();
    }

    /** Pearson's coefficients: the covariance over the products of the standard deviations, clipped to [-1, 1]. */
    static Tensor corrcoef(Tensor x) {
        Tensor c = cov(x, 1);
        if (c.dim() == 0) {
            return c.div(c);
        }
        Tensor stddev = c.diagonal(0, 0, 1).sqrt();
        c = c.div(stddev.reshape(-1, 1));
        c = c.div(stddev.reshape(1, -1));
        return c.clamp(-1, 1);
    }
}
