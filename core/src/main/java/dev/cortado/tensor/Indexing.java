package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

/**
 * Values picked or accumulated at int64 positions along one dim: gather, scatter_add,
 * index_select, and masked_fill. The backends get views already cut to the index's shape, so a
 * kernel only ever walks one shape; the positions are checked here, once, against the dim's size.
 */
final class Indexing {
    private Indexing() {
    }

    /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} for dim 1; out has index's shape. */
    static Tensor gather(Tensor x, int dim, Tensor index) {
        String op = "gather";
        requireInt64(op, index);
        Kernels.sameDevice(op, x, index);
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index must have as many dimensions as the input, got index of shape "
                    + Shapes.str(index.shape) + " and input of shape " + Shapes.str(x.shape));
        }
        if (x.dim() == 0) {
            Shapes.dim(op, dim, 0);
            return gather(x.reshape(1), 0, index.reshape(1)).reshape();
        }
        int d = Shapes.dim(op, dim, x.dim());
        requireWithin(op, index, "the input", x.shape, d);
        checkPositions(op, index, d, x.shape[d]);
        Tensor out = Kernels.empty(index.shape, x.dtype(), x.device());
        if (out.numel() > 0) {
            Kernels.backend(x).gather(out, cutTo(x, index.shape, d), d, index);
            Int64Range.inherit(out.storage, x);
        }
        int[] shape = x.shape;
        return Autograd.record(out, "GatherBackward0", Autograd.saved(index), (g, n) -> new Tensor[] {scattered(shape, d, index, g)}, x);
    }

    /**
     * {@code torch.scatter_add}: a copy of x with {@code src[i][j][k]} added at
     * {@code [i][index[i][j][k]][k]} for dim 1. index is no larger than src in any dim and no
     * larger than x in any dim but dim; the part of src outside index's shape is not read.
     */
    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        return scatterAdd("scatterAdd", x, dim, index, src);
    }

    /** scatterAdd, with errors named after op (scatter is built on it). */
    static Tensor scatterAdd(String op, Tensor x, int dim, Tensor index, Tensor src) {
        requireInt64(op, index);
        Kernels.sameDevice(op, x, index, src);
        if (src.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": src must have the input's dtype " + x.dtype() + ", got " + src.dtype());
        }
        if (index.dim() != x.dim() || src.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index and src must have as many dimensions as the input, got input of shape "
                    + Shapes.str(x.shape) + ", index " + Shapes.str(index.shape) + " and src " + Shapes.str(src.shape));
        }
        if (x.dim() == 0) {
            Shapes.dim(op, dim, 0);
            return scatterAdd(op, x.reshape(1), 0, index.reshape(1), src.reshape(1)).reshape();
        }
        int d = Shapes.dim(op, dim, x.dim());
        requireWithin(op, index, "the input", x.shape, d);
        requireWithin(op, index, "src", src.shape, -1);
        checkPositions(op, index, d, x.shape[d]);
        Tensor out;
        try (var off = GradMode.off()) {
            out = accumulate(x.clone(), d, index, src);
        }
        int[] srcShape = src.shape;
        return Autograd.record(out, "ScatterAddBackward0", Autograd.saved(index), (g, n) -> new Tensor[] {
                n[0] ? g : null,
                n[1] ? pickedInto(srcShape, g, d, index) : null}, x, src);
    }

    /** {@code torch.index_select}: the slices of x at the positions of a vector (or a 0-dim) index along dim. */
    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        String op = "indexSelect";
        requireInt64(op, index);
        Kernels.sameDevice(op, x, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be a vector, got shape " + Shapes.str(index.shape));
        }
        if (x.dim() == 0) {
            Shapes.dim(op, dim, 0);
            return indexSelect(x.reshape(1), 0, index).reshape();
        }
        int d = Shapes.dim(op, dim, x.dim());
        int m = index.numel();
        checkPositions(op, index, d, x.shape[d]);
        int[] shape = x.shape();
        shape[d] = m;
        // Each position, broadcast over the other dims: a gather with an index of stride 0 there.
        int[] strides = new int[x.dim()];
        strides[d] = index.dim() == 1 ? index.stride(0) : 0;
        Tensor positions = Kernels.view(index, shape, strides, index.offset);
        Tensor out = Kernels.empty(shape, x.dtype(), x.device());
        if (out.numel() > 0) {
            Kernels.backend(x).gather(out, x, d, positions);
            Int64Range.inherit(out.storage, x);
        }
        int[] xShape = x.shape;
        Tensor at = positions;
        return Autograd.record(out, "IndexSelectBackward0", Autograd.saved(index), (g, n) -> new Tensor[] {scattered(xShape, d, at, g)}, x);
    }

    /** {@code torch.masked_fill}: value where mask is nonzero, x elsewhere, over their broadcast shape and in x's dtype. */
    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        String op = "maskedFill";
        Kernels.sameDevice(op, x, mask);
        Tensor fill;
        if (x.dtype() == DType.INT64) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(op + ": value " + value + " cannot be converted to int64 for an int64 input");
            }
            fill = Creation.full(new int[0], (long) value, DType.INT64, x.device());
        } else {
            fill = Creation.full(new int[0], value, x.dtype(), x.device());
        }
        Shapes.broadcast(op, x.shape, mask.shape);
        return Pointwise.where(mask, fill, x);
    }

    /** into (already x's values or zeros) plus src at index's positions along d; into's other dims cut to index's shape. Returns into. */
    static Tensor accumulate(Tensor into, int d, Tensor index, Tensor src) {
        if (index.numel() > 0) {
            Kernels.backend(into).scatterAdd(cutTo(into, index.shape, d), d, index, cutTo(src, index.shape, -1));
            Int64Range.written(into.storage);
        }
        return into;
    }

    /**
     * Zeros of shape with g added at index along d: the gradient of a gather. Recorded when g has
     * a graph (a createGraph pass), with the gather at index as its own gradient.
     */
    static Tensor scattered(int[] shape, int d, Tensor index, Tensor g) {
        Tensor sum = accumulate(Creation.full(shape, 0, g.dtype(), g.device()), d, index, g);
        return Autograd.record(sum, "GatherBackwardBackward0", (gg, n) -> new Tensor[] {gather(gg, d, index)}, g);
    }

    /** g gathered at index, as src's gradient: src's elements outside index's shape were not read and get 0. */
    private static Tensor pickedInto(int[] srcShape, Tensor g, int d, Tensor index) {
        Tensor picked = gather(g, d, index);
        if (java.util.Arrays.equals(srcShape, index.shape)) {
            return picked;
        }
        // Zeros after index's extent in each dim: a pad, so recorded in a createGraph pass.
        int[] pad = new int[2 * srcShape.length];
        for (int k = 0; k < srcShape.length; k++) {
            pad[2 * (srcShape.length - 1 - k) + 1] = srcShape[k] - index.shape[k];
        }
        return picked.pad(pad, PadMode.CONSTANT, 0);
    }

    /** A view of t whose dims other than keep are cut to shape's sizes, from index 0. */
    private static Tensor cutTo(Tensor t, int[] shape, int keep) {
        int[] cut = t.shape();
        for (int k = 0; k < cut.length; k++) {
            if (k != keep) {
                cut[k] = shape[k];
            }
        }
        return java.util.Arrays.equals(cut, t.shape) ? t : Kernels.view(t, cut, t.strides, t.offset);
    }

    private static void requireInt64(String op, Tensor index) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        }
    }

    /** index no larger than {@code shape} (of {@code what}) in every dim but {@code except} (-1: every dim). */
    private static void requireWithin(String op, Tensor index, String what, int[] shape, int except) {
        for (int k = 0; k < shape.length; k++) {
            if (k != except && index.shape[k] > shape[k]) {
                throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(index.shape) + " must be no larger than "
                        + what + " of shape " + Shapes.str(shape) + " in every dimension" + (except >= 0 ? " but " + except : "")
                        + "; dimension " + k + " is " + index.shape[k] + " against " + shape[k]);
            }
        }
    }

    /**
     * Every position in [0, size): out of range would read or write outside the dim. Read back
     * only when the index was not uploaded from known host values, as two numbers (the
     * smallest and largest position).
     */
    private static void checkPositions(String op, Tensor index, int d, int size) {
        if (index.numel() == 0 || Int64Range.knownWithin(index, 0, size)) {
            return;
        }
        long[] range = Int64Range.of(index);
        long bad = range[0] < 0 ? range[0] : range[1];
        if (range[0] < 0 || range[1] >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + bad + " is out of bounds for dimension " + d + " with size " + size);
        }
    }
}
