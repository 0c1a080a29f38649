package dev.cortado.tensor;


/**
 * nonzero, masked_select and bincount: ops whose output size depends on the values, so they read
 * the mask or the counts back to the host (on a GPU that waits for the queued work, as PyTorch's
 * do) and then pick with {@code indexSelect} or add with {@code scatterAdd} on the device.
 */
final class Selection {
    private Selection() {
    }

    /** The positions of the nonzero (and NaN) elements, an (n, dim) int64 tensor in row-major order. */
    static Tensor nonzero(Tensor x) {
        int rank = x.dim();
        int[] shape = x.shape;
        int[] hits = hits(x);
        long[] at = new long[hits.length * rank];
        for (int k = 0; k < hits.length; k++) {
            int flat = hits[k];
            for (int d = rank - 1; d >= 0; d--) {
                at[k * rank + d] = flat % shape[d];
                flat /= shape[d];
            }
        }
        return Creation.fromLongs(at, new int[] {hits.length, rank}, x.device());
    }

    /** The elements of x where the mask (broadcast with x) is nonzero, as a 1-d tensor in row-major order. */
    static Tensor maskedSelect(Tensor x, Tensor mask) {
        Kernels.sameDevice("maskedSelect", x, mask);
        int[] shape = Shapes.broadcast("maskedSelect", x.shape, mask.shape);
        int[] hits = hits(mask.expand(shape));
        long[] positions = new long[hits.length];
        for (int k = 0; k < hits.length; k++) {
            positions[k] = hits[k];
        }
        return x.expand(shape).reshape(-1).indexSelect(0, Creation.fromLongs(positions, new int[] {hits.length}, x.device()));
    }

    /**
     * Counts of each value of a 1-d int64 tensor of non-negative values, at least minlength of
     * them: int64, or float32 sums of weights (one per value) when weights are given.
     */
    static Tensor bincount(Tensor x, Tensor weights, int minlength) {
        if (x.dim() != 1 || x.dtype() != DType.INT64) {
            throw new IllegalArgumentException("bincount: expected a 1-d int64 tensor of non-negative values, got " + x.dtype() + " of shape "
                    + Shapes.str(x.shape));
        }
        if (minlength < 0) {
            throw new IllegalArgumentException("bincount: minlength must be non-negative, got " + minlength);
        }
        if (weights != null && (weights.dim() != 1 || weights.size(0) != x.size(0))) {
            throw new IllegalArgumentException("bincount: weights must be 1-d with one weight per value, got shape " + Shapes.str(weights.shape)
                    + " for " + x.size(0) + " values");
        }
        long max = -1;
        if (x.numel() > 0) {
            long[] range = Int64Range.of(x);
            if (range[0] < 0) {
                throw new IllegalArgumentException("bincount: expected non-negative values, got " + range[0]);
            }
            max = range[1];
        }
        int size = (int) Math.max(max + 1, minlength);
        if (weights == null) {
            Tensor counts = Creation.full(new int[] {size}, 0, DType.INT64, x.device());
            return x.numel() == 0 ? counts : counts.scatterAdd(0, x, Creation.full(new int[] {x.size(0)}, 1, DType.INT64, x.device()));
        }
        Kernels.sameDevice("bincount", x, weights);
        Tensor sums = Creation.full(new int[] {size}, 0, DType.FLOAT32, x.device());
        return x.numel() == 0 ? sums : sums.scatterAdd(0, x, weights.to(DType.FLOAT32));
    }

    /** Row-major positions of the elements that are not 0 (NaN counts as nonzero, -0.0 does not). */
    private static int[] hits(Tensor t) {
        double[] v = t.toDoubleArray();
        int n = 0;
        for (double e : v) {
            if (e != 0) {
                n++;
            }
        }
        int[] at = new int[n];
        for (int i = 0, k = 0; i < v.length; i++) {
            if (v[i] != 0) {
                at[k++] = i;
            }
        }
        return at;
    }
}
