package dev.cortado.backend;

import dev.cortado.tensor.Tensor;

/**
 * The sizes of {@link Backend#matmul} as every backend reads them: out (..., m, n) = a (..., m, k)
 * · b (..., k, n) over {@code batches} products.
 */
public record MatmulDims(int batches, int m, int n, int k) {
    public static MatmulDims of(Tensor out, Tensor a) {
        int r = out.dim();
        int m = out.size(r - 2);
        int n = out.size(r - 1);
        int k = a.size(r - 1);
        return new MatmulDims(m == 0 || n == 0 ? 0 : out.numel() / (m * n), m, n, k);
    }

    /** Whether the output has no elements (nothing to write). */
    public boolean empty() {
        return batches == 0;
    }
}
