package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

/**
 * {@code scatter} (writing, not adding) and {@code index_add}, composed from {@code scatterAdd}:
 * a count of the writes to each position says where x keeps its value. PyTorch leaves unspecified
 * which write wins when src's values meet at one position, so scatter refuses that case rather
 * than pick a winner silently; writing one value is exact whatever repeats.
 */
final class Scattering {
    private Scattering() {
    }

    /** x with value at index's positions along dim, as {@code x.scatter(dim, index, value)} (one-hot rows, for one). */
    static Tensor scatter(Tensor x, int dim, Tensor index, double value) {
        Tensor written = writes("scatter", x, dim, index);
        Tensor fill = x.dtype() == DType.INT64 ? Creation.full(new int[0], (long) value, DType.INT64, x.device())
                : Creation.full(new int[0], value, x.dtype(), x.device());
        return Pointwise.where(written, fill, x);
    }

    /** x with src's values at index's positions along dim, as {@code x.scatter(dim, index, src)}; positions must not repeat. */
    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        Tensor count = writes("scatter", x, dim, index);
        if (count.numel() > 0) {
            double most;
            try (var off = GradMode.off()) {
                most = count.max().item();
            }
            if (most > 1) {
                throw new IllegalArgumentException("scatter: index writes one position " + (long) most + " times along dim " + dim
                        + ", and which write wins is unspecified (PyTorch's result depends on the device); use scatterAdd, or unique positions");
            }
        }
        Tensor placed = Indexing.scatterAdd("scatter", Creation.full(x.shape, 0, x.dtype(), x.device()), dim, index, src);
        return Pointwise.where(count, placed, x);
    }

    /** How many writes each position of x gets from index along dim (float32, x's shape). */
    private static Tensor writes(String op, Tensor x, int dim, Tensor index) {
        try (var off = GradMode.off()) {
            Tensor zeros = Creation.full(x.shape, 0, DType.FLOAT32, x.device());
            return Indexing.scatterAdd(op, zeros, dim, index, Creation.full(index.shape, 1, DType.FLOAT32, x.device()));
        }
    }

    /** {@code x.index_add(dim, index, source, alpha)}: alpha · source's slice i added at position index[i] along dim (repeats add up). */
    static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor source, double alpha) {
        String op = "indexAdd";
        if (index.dim() > 1 || index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be a 1-d (or 0-d) int64 tensor, got " + index.dtype() + " "
                    + Shapes.str(index.shape));
        }
        int d = Shapes.dim(op, dim, Math.max(x.dim(), 1));
        int k = index.numel();
        int[] expected = x.dim() == 0 ? new int[0] : x.shape.clone();
        if (x.dim() > 0) {
            expected[d] = k;
        }
        if (!java.util.Arrays.equals(source.shape, expected) && !(x.dim() == 0 && source.numel() == 1)) {
            throw new IllegalArgumentException(op + ": source " + Shapes.str(source.shape) + " must have the input's shape "
                    + Shapes.str(x.shape) + " with dim " + d + " as long as index (" + k + ")");
        }
        if (x.dim() == 0) {
            return indexAdd(x.reshape(1), 0, index.reshape(-1), source.reshape(1), alpha).reshape();
        }
        int[] along = new int[x.dim()];
        java.util.Arrays.fill(along, 1);
        along[d] = k;
        Tensor positions = index.reshape(along).expand(source.shape);
        return Indexing.scatterAdd(x, d, positions, alpha == 1 ? source : source.mul(alpha));
    }
}
