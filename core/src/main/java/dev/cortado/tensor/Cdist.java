package dev.cortado.tensor;

import java.util.List;

/**
 * {@code torch.cdist(x1, x2, p)}: the p-norm distance between every row of x1 (..., P, M) and every
 * row of x2 (..., R, M), as (..., P, R), leading dims broadcast. For p = 2 with more than 25 rows
 * on either side PyTorch switches to one matmul ({@code |a|² - 2 a·b + |b|²}, clamped at 1e-30
 * before the root), and so does this, for its numbers; otherwise the distances are norms of the
 * differences, whose gradient is 0 at distance 0 as in PyTorch.
 */
final class Cdist {
    private Cdist() {
    }

    static Tensor cdist(Tensor x1, Tensor x2, double p) {
        if (x1.dim() < 2 || x2.dim() < 2) {
            throw new IllegalArgumentException("cdist: expected inputs of at least 2 dims (..., rows, columns), got " + Shapes.str(x1.shape())
                    + " and " + Shapes.str(x2.shape()));
        }
        int m = x1.size(x1.dim() - 1);
        if (x2.size(x2.dim() - 1) != m) {
            throw new IllegalArgumentException("cdist: X1 and X2 must have the same number of columns. X1: " + m + " X2: " + x2.size(x2.dim() - 1));
        }
        if (!(p >= 0)) {
            throw new IllegalArgumentException("cdist: only supports non-negative p values, got " + p);
        }
        if (x1.dtype() != DType.FLOAT32 || x2.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("cdist: expected float32 inputs, got " + x1.dtype() + " and " + x2.dtype());
        }
        int rows1 = x1.size(x1.dim() - 2);
        int rows2 = x2.size(x2.dim() - 2);
        if (p == 2 && (rows1 > 25 || rows2 > 25)) {
            Tensor n1 = x1.square().sum(new int[] {-1}, true);
            Tensor n2 = x2.square().sum(new int[] {-1}, true);
            Tensor a = Tensor.cat(List.of(x1.mul(-2), n1, Tensor.ones(n1.shape(), n1.dtype(), n1.device())), -1);
            Tensor b = Tensor.cat(List.of(x2, Tensor.ones(n2.shape(), n2.dtype(), n2.device()), n2), -1);
            return a.matmul(b.transpose(-2, -1)).clampMin(1e-30).sqrt();
        }
        Tensor diff = x1.unsqueeze(-2).sub(x2.unsqueeze(-3));
        if (p != 0) {
            return diff.norm(p, new int[] {-1}, false);
        }
        // p = 0 counts the columns that differ: a step, whose gradient is zero, as PyTorch's CdistBackward gives it.
        Tensor count;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            count = diff.ne(0).sum(new int[] {-1}, false);
        }
        int[] shape1 = x1.shape;
        int[] shape2 = x2.shape;
        return Autograd.record(count, "CdistBackward0", (g, needs) -> new Tensor[] {
            needs[0] ? Creation.full(shape1, 0, g.dtype(), g.device()) : null,
            needs[1] ? Creation.full(shape2, 0, g.dtype(), g.device()) : null}, x1, x2);
    }
}
