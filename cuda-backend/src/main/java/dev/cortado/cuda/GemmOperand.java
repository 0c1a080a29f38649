package dev.cortado.cuda;

/**
 * How cuBLAS (column-major) can read a row-major matrix view of {@code rows × cols} with the given
 * strides without a copy: as stored rows ({@code rowMajor}, leading dimension = row stride) or as
 * stored columns (leading dimension = column stride). Null from {@link #of} means neither fits.
 */
record GemmOperand(boolean rowMajor, int ld) {
    static GemmOperand of(int rows, int cols, int rowStride, int colStride) {
        // A dimension of size 1 has no stride to speak of: pick the one that makes the view dense.
        if (cols == 1) {
            colStride = 1;
        }
        if (rows == 1) {
            rowStride = Math.max(cols, 1);
        }
        if (colStride == 1 && rowStride >= Math.max(1, cols)) {
            return new GemmOperand(true, rowStride);
        }
        if (rowStride == 1 && colStride >= Math.max(1, rows)) {
            return new GemmOperand(false, colStride);
        }
        return null;
    }

    /**
     * The single stride that steps through {@code batchShape} in row-major order, or null when the
     * batch dims do not collapse into one (then the operand is copied first). Zero strides
     * (broadcast batches) collapse when all are zero.
     */
    static Long batchStride(int[] batchShape, int[] batchStrides) {
        long stride = 0;
        long span = 0;
        for (int d = batchShape.length - 1; d >= 0; d--) {
            if (batchShape[d] == 1) {
                continue;
            }
            if (span == 0) {
                stride = batchStrides[d];
                span = batchShape[d];
            } else if (batchStrides[d] == stride * span) {
                span *= batchShape[d];
            } else {
                return null;
            }
        }
        return stride;
    }
}
