package dev.cortado.tensor;

/**
 * {@code kthvalue} and {@code median}, read from the stable sort: the k-th smallest value along a
 * dim and the position it came from (equal values: the first of them), with the gradient going to
 * that position. median is the lower of the two middle values, as PyTorch's, and NaN wherever the
 * line holds a NaN (its position: the first NaN's).
 */
final class OrderStatistics {
    private OrderStatistics() {
    }

    static ValuesIndices kthvalue(Tensor x, int k, int dim, boolean keepdim) {
        if (x.dim() == 0) {
            Shapes.dim("kthvalue", dim, 0);
            if (k != 1) {
                throw new IndexOutOfBoundsException("kthvalue: k = " + k + " is out of range for a 0-dim tensor (one element)");
            }
            return new ValuesIndices(ViewOps.clone(x), Creation.full(new int[0], 0, DType.INT64, x.device()));
        }
        int d = Shapes.dim("kthvalue", dim, x.dim());
        if (k < 1 || k > x.shape[d]) {
            throw new IndexOutOfBoundsException("kthvalue: k = " + k + " is out of range for dimension " + d + " of size " + x.shape[d]
                    + " in shape " + Shapes.str(x.shape));
        }
        ValuesIndices sorted = Sorting.sort(x, d, false);
        return pick(sorted, d, Creation.full(new int[0], k - 1, DType.INT64, x.device()), keepdim);
    }

    static ValuesIndices median(Tensor x, int dim, boolean keepdim) {
        if (x.dim() == 0) {
            return kthvalue(x, 1, dim, keepdim);
        }
        int d = Shapes.dim("median", dim, x.dim());
        int n = x.shape[d];
        if (n == 0) {
            throw new IllegalArgumentException("median: cannot take the median of dimension " + d + " of size 0 in shape " + Shapes.str(x.shape));
        }
        ValuesIndices sorted = Sorting.sort(x, d, false);
        // NaN sorts last: with any NaN in a line the median is its first NaN, at position n - count.
        Tensor nans = x.ne(x).sum(new int[] {d}, true).to(DType.INT64);
        Tensor lower = Creation.full(new int[0], (n - 1) / 2, DType.INT64, x.device());
        Tensor position = Tensor.where(nans.gt(0), nans.rsub(n), lower).to(DType.INT64);
        return pick(sorted, d, position, keepdim);
    }

    /**
     * {@code torch.mode(x, dim)}: each line's most frequent value and the index of its last
     * occurrence, the smallest value among equally frequent ones (NaN, counted as one value, the
     * largest); counted on the host, the values then gathered from x so gradients reach them.
     */
    static ValuesIndices mode(Tensor x, int dim, boolean keepdim) {
        if (x.dim() == 0) {
            Shapes.dim("mode", dim, 0);
            return new ValuesIndices(x, Creation.full(new int[0], 0, DType.INT64, x.device()));
        }
        int d = Shapes.dim("mode", dim, x.dim());
        int n = x.shape[d];
        if (n == 0) {
            throw new IllegalArgumentException("mode: cannot take the mode of dimension " + d + " of size 0 in shape " + Shapes.str(x.shape));
        }
        double[] lines = x.movedim(d, x.dim() - 1).contiguous().toDoubleArray();
        int count = lines.length / n;
        long[] at = new long[count];
        java.util.Map<Double, int[]> seen = new java.util.HashMap<>();
        for (int l = 0; l < count; l++) {
            seen.clear();
            for (int i = 0; i < n; i++) {
                int[] entry = seen.computeIfAbsent(lines[l * n + i], v -> new int[2]);
                entry[0]++;
                entry[1] = i;
            }
            double best = 0;
            int[] winner = null;
            for (var e : seen.entrySet()) {
                int[] c = e.getValue();
                if (winner == null || c[0] > winner[0] || c[0] == winner[0] && Double.compare(e.getKey(), best) < 0) {
                    best = e.getKey();
                    winner = c;
                }
            }
            at[l] = winner[1];
        }
        int[] kept = x.shape.clone();
        kept[d] = 1;
        Tensor indices = Creation.fromLongs(at, moved(kept, d), x.device()).movedim(x.dim() - 1, d);
        Tensor values = x.gather(d, indices);
        return keepdim ? new ValuesIndices(values, indices) : new ValuesIndices(values.squeeze(d), indices.squeeze(d));
    }

    /** The shape with dim d moved last. */
    private static int[] moved(int[] shape, int d) {
        int[] out = new int[shape.length];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (i != d) {
                out[k++] = shape[i];
            }
        }
        out[k] = shape[d];
        return out;
    }

    /**
     * {@code torch.nanmedian(x, dim)}: the lower median of each line's values other than NaN (NaN
     * sorts last, so it is at position (count - 1) / 2 of the sorted line); NaN where a line is all NaN.
     */
    static ValuesIndices nanmedian(Tensor x, int dim, boolean keepdim) {
        if (x.dim() == 0) {
            Shapes.dim("nanmedian", dim, 0);
            return kthvalue(x, 1, dim, keepdim);
        }
        int d = Shapes.dim("nanmedian", dim, x.dim());
        int n = x.shape[d];
        if (n == 0) {
            throw new IllegalArgumentException("nanmedian: cannot take the median of dimension " + d + " of size 0 in shape " + Shapes.str(x.shape));
        }
        ValuesIndices sorted = Sorting.sort(x, d, false);
        Tensor count = x.eq(x).sum(new int[] {d}, true).to(DType.INT64);
        Tensor position = count.sub(1).clamp(0, n - 1).div(2, "floor");
        return pick(sorted, d, position, keepdim);
    }

    /** The nanmedian of every element, as {@code torch.nanmedian(x)}. */
    static Tensor nanmedian(Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException("nanmedian: the median of an empty tensor is undefined, shape " + Shapes.str(x.shape));
        }
        return nanmedian(x.reshape(-1), 0, false).values();
    }

    /** The median of every element (the lower middle one; NaN if any is NaN), as {@code torch.median(x)}. */
    static Tensor median(Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException("median: the median of an empty tensor is undefined, shape " + Shapes.str(x.shape));
        }
        return median(x.reshape(-1), 0, false).values();
    }

    /** Values and indices of the sorted line at position (one per line, or one for all), along d. */
    private static ValuesIndices pick(ValuesIndices sorted, int d, Tensor position, boolean keepdim) {
        int[] shape = sorted.values().shape();
        shape[d] = 1;
        Tensor at = position.expand(shape).clone();
        // Positions within the line by construction: gather need not read them back to check.
        Int64Range.bounded(at.storage, 0, sorted.values().shape[d] - 1);
        Tensor values = sorted.values().gather(d, at);
        Tensor indices = sorted.indices().gather(d, at);
        return keepdim ? new ValuesIndices(values, indices) : new ValuesIndices(values.squeeze(d), indices.squeeze(d));
    }
}
