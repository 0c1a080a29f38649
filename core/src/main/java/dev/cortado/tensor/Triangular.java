package dev.cortado.tensor;

/**
 * {@code torch.tril} and {@code triu}: the lower or upper triangle of the last two dims (from
 * the given diagonal), zeros elsewhere. A selection by a position mask, so an infinity or NaN
 * outside the triangle becomes 0, as in PyTorch, and the gradient is masked the same way.
 */
final class Triangular {
    private Triangular() {
    }

    static Tensor tril(Tensor x, int diagonal) {
        return triangle("tril", x, diagonal, true);
    }

    static Tensor triu(Tensor x, int diagonal) {
        return triangle("triu", x, diagonal, false);
    }

    private static Tensor triangle(String op, Tensor x, int diagonal, boolean lower) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape " + Shapes.str(x.shape));
        }
        int rows = x.shape[x.dim() - 2];
        int cols = x.shape[x.dim() - 1];
        // column - row, compared with the diagonal: <= keeps the lower triangle, >= the upper.
        long[] columnMinusRow = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columnMinusRow[r * cols + c] = c - r;
            }
        }
        Tensor offset = Creation.fromLongs(columnMinusRow, new int[] {rows, cols}, x.device());
        Tensor keep = lower ? offset.le(diagonal) : offset.ge(diagonal);
        return Tensor.where(keep, x, Pointwise.scalarFor(x, 0));
    }
}
