package dev.cortado.tensor;

/**
 * {@code index_fill} and {@code index_copy}: whole slices along a dim replaced, by a value or by
 * the slices of a source. A 0/1 mask of the chosen slices keeps the rest of x (and its gradient);
 * the source's slices arrive through index_add into zeros, so the source's gradient is the
 * output gradient's slices at index.
 */
final class IndexFills {
    private IndexFills() {
    }

    static Tensor indexFill(Tensor x, int dim, Tensor index, double value) {
        String op = "index_fill";
        int d = Shapes.dim(op, dim, Math.max(x.dim(), 1));
        Tensor chosen = chosen(op, x, d, positions(op, index));
        return Tensor.where(chosen, x.newFull(new int[0], value), x);
    }

    static Tensor indexCopy(Tensor x, int dim, Tensor index, Tensor source) {
        String op = "index_copy";
        int d = Shapes.dim(op, dim, Math.max(x.dim(), 1));
        long[] positions = positions(op, index);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long p : positions) {
            if (!seen.add(p)) {
                throw new IllegalArgumentException(op + ": index holds " + p + " twice; which source slice lands there is not defined");
            }
        }
        Tensor chosen = chosen(op, x, d, positions);
        int[] want = x.dim() == 0 ? new int[0] : x.shape();
        if (x.dim() > 0) {
            want[d] = positions.length;
        }
        boolean fits = java.util.Arrays.equals(source.shape(), want) || x.dim() == 0 && source.numel() == 1;
        if (!fits || source.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": source must be " + x.dtype() + " " + Shapes.str(want) + " (the input's shape with dim "
                    + d + " as long as index), got " + source.dtype() + " " + Shapes.str(source.shape()));
        }
        if (x.dim() == 0) {
            return source.reshape().to(x.dtype()).mul(1);
        }
        Tensor kept = Tensor.where(chosen, x.newFull(new int[0], 0), x);
        return kept.indexAdd(d, index, source, 1);
    }

    /** index's positions, read back once: the mask and index_copy's repeat check both need them. */
    private static long[] positions(String op, Tensor index) {
        if (index.dtype() != DType.INT64 || index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be a 0-d or 1-d int64 tensor, got " + index.dtype() + " "
                    + Shapes.str(index.shape()));
        }
        return index.toLongArray();
    }

    /** A mask, broadcastable to x, of the slices along d at the given positions (checked against the dim's size). */
    private static Tensor chosen(String op, Tensor x, int d, long[] positions) {
        int n = x.dim() == 0 ? 1 : x.size(d);
        float[] mask = new float[n];
        for (long p : positions) {
            if (p < 0 || p >= n) {
                throw new IndexOutOfBoundsException(op + ": index " + p + " is out of bounds for dimension " + d + " with size " + n);
            }
            mask[(int) p] = 1;
        }
        int[] shape = new int[Math.max(x.dim(), 1)];
        java.util.Arrays.fill(shape, 1);
        shape[d] = n;
        Tensor m = Creation.fromFloats(mask, shape, x.device());
        return x.dim() == 0 ? m.reshape() : m;
    }
}
