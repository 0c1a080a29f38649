package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.ReduceOp;

import java.util.Locale;

/** sum, mean, max/min (with indices), var and std; the reduced dims' gradient is broadcast back. */
final class Reductions {
    private Reductions() {
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepdim) {
        String name = op.name().toLowerCase(Locale.ROOT);
        if (op == ReduceOp.MEAN && !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean: input dtype must be floating point, got " + x.dtype());
        }
        if (x.dim() == 0) {
            for (int d : dims) {
                Shapes.dim(name, d, 0);
            }
            return reduce(op, x.reshape(1), new int[] {0}, false).reshape();
        }
        // No dims at all means every dim, as PyTorch's sum(dim=[]) reduces everything.
        int[] ds = dims.length == 0 ? Shapes.all(x.dim()) : Shapes.dims(name, dims, x.dim());
        int[] keep = x.shape();
        for (int d : ds) {
            keep[d] = 1;
        }
        Tensor out = Kernels.empty(keep, x.dtype(), x.device());
        if (out.numel() > 0) {
            // No kernel gets an empty output: a (2, 0) tensor summed over dim 0 has nothing to write.
            Kernels.backend(x).reduce(op, out, x, ds);
        }
        Tensor result = keepdim ? out : withoutDims(out, ds);
        int[] shape = x.shape;
        long count = 1;
        for (int d : ds) {
            count *= shape[d];
        }
        double scale = op == ReduceOp.MEAN ? 1.0 / count : 1.0;
        String node = op == ReduceOp.MEAN ? "MeanBackward" : "SumBackward";
        return Autograd.record(result, node + (ds.length == x.dim() && !keepdim ? "0" : "1"), (g, n) -> {
            Tensor expanded = g.reshape(keep).expand(shape);
            return new Tensor[] {scale == 1.0 ? expanded : expanded.mul(scale)};
        }, x);
    }

    /** The shape a reduction over dims (none: all) leaves, for an empty input whose result is known without a kernel. */
    static int[] keptShape(int[] shape, int[] dims, boolean keepdim) {
        int[] ds = shape.length == 0 ? new int[0] : dims.length == 0 ? Shapes.all(shape.length) : Shapes.dims("reduce", dims, shape.length);
        int[] kept = shape.clone();
        for (int d : ds) {
            kept[d] = 1;
        }
        return keepdim ? kept : drop(kept, ds);
    }

    /** A view of a reduction's kept-dims result (the reduced dims of size 1) without those dims. */
    static Tensor withoutDims(Tensor kept, int[] ds) {
        return Kernels.view(kept, drop(kept.shape, ds), drop(kept.strides, ds), kept.offset);
    }

    /** values without the entries at dims (sorted ascending): a shape or strides with reduced dims removed. */
    static int[] drop(int[] values, int[] dims) {
        int[] out = new int[values.length - dims.length];
        for (int i = 0, j = 0, k = 0; i < values.length; i++) {
            if (k < dims.length && dims[k] == i) {
                k++;
            } else {
                out[j++] = values[i];
            }
        }
        return out;
    }

    /**
     * max() / min() over every element; ties share the gradient equally, as in PyTorch, and a NaN
     * result (NaN wins) shares it among the NaN elements, where {@code x == out} holds for none.
     */
    static Tensor extreme(ReduceOp op, Tensor x) {
        String name = op.name().toLowerCase(Locale.ROOT);
        if (x.numel() == 0) {
            throw new IllegalArgumentException(name + ": expected a non-empty tensor, got shape " + Shapes.str(x.shape())
                    + " (reduce over a dim instead)");
        }
        return amax(op, x, Shapes.all(x.dim()), false, op == ReduceOp.MAX ? "MaxBackward1" : "MinBackward1");
    }

    /** {@code amax} / {@code amin} over dims (none: every dim), with max()'s shared gradient within each reduced group. */
    static Tensor amax(ReduceOp op, Tensor x, int[] dims, boolean keepdim) {
        String name = op == ReduceOp.MAX ? "amax" : "amin";
        if (x.dim() == 0) {
            for (int d : dims) {
                Shapes.dim(name, d, 0);
            }
        }
        int[] ds = x.dim() == 0 ? new int[0] : dims.length == 0 ? Shapes.all(x.dim()) : Shapes.dims(name, dims, x.dim());
        for (int d : ds) {
            if (x.shape[d] == 0) {
                throw new IllegalArgumentException(name + ": expected reduction dim " + d + " to have non-zero size, shape " + Shapes.str(x.shape));
            }
        }
        return amax(op, x, ds, keepdim, op == ReduceOp.MAX ? "AmaxBackward0" : "AminBackward0");
    }

    private static Tensor amax(ReduceOp op, Tensor x, int[] ds, boolean keepdim, String node) {
        Tensor kept = reduce(op, x.detach(), ds, true);
        Tensor out = keepdim || x.dim() == 0 ? kept : withoutDims(kept, ds);
        return Autograd.record(out, node, Autograd.saved(x, kept), (g, n) -> {
            // Without reading the result back (a GPU would wait): NaN elements count only where it is NaN.
            Tensor mask = x.eq(kept).add(x.ne(x).mul(kept.ne(kept)));
            if (x.dim() == 0) {
                return new Tensor[] {mask.mul(g)};
            }
            return new Tensor[] {mask.mul(g.reshape(kept.shape).div(mask.sum(ds, true)))};
        }, x);
    }

    /** max(dim) / min(dim): values and int64 indices of the first extreme; the gradient goes to that index. */
    static ValuesIndices extreme(ReduceOp op, Tensor x, int dim, boolean keepdim) {
        return extreme(op, x, dim, keepdim, op.name().toLowerCase(Locale.ROOT));
    }

    /** The same, with {@code name} (argmax, argmin) in its error messages. */
    static ValuesIndices extreme(ReduceOp op, Tensor x, int dim, boolean keepdim, String name) {
        if (x.dim() == 0) {
            Shapes.dim(name, dim, 0);
            ValuesIndices r = extreme(op, x.reshape(1), 0, false, name);
            return r;
        }
        int d = Shapes.dim(name, dim, x.dim());
        if (x.shape[d] == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce over dimension " + d + " of size 0 in shape " + Shapes.str(x.shape));
        }
        int[] keep = x.shape();
        keep[d] = 1;
        Tensor values = Kernels.empty(keep, x.dtype(), x.device());
        Tensor indices = Kernels.empty(keep, DType.INT64, x.device());
        Kernels.backend(x).argReduce(op, values, indices, x, d);
        int[] dropped = drop(keep, new int[] {d});
        Tensor v = keepdim ? values : Kernels.view(values, dropped, drop(values.strides, new int[] {d}), 0);
        Tensor i = keepdim ? indices : Kernels.view(indices, dropped, drop(indices.strides, new int[] {d}), 0);
        int[] shape = x.shape;
        v = Autograd.record(v, op == ReduceOp.MAX ? "MaxBackward0" : "MinBackward0", Autograd.saved(indices), (g, n) -> {
            int[] along = new int[shape.length];
            java.util.Arrays.fill(along, 1);
            along[d] = shape[d];
            Tensor positions = Positions.upTo(shape[d], g.device()).reshape(along);
            Tensor oneHot = positions.eq(indices);
            return new Tensor[] {oneHot.mul(g.reshape(keep))};
        }, x);
        return new ValuesIndices(v, i);
    }

    static Tensor var(Tensor x, int[] dims, boolean unbiased, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("var: input dtype must be floating point, got " + x.dtype());
        }
        int[] ds = x.dim() == 0 ? new int[0] : dims.length == 0 ? Shapes.all(x.dim()) : Shapes.dims("var", dims, x.dim());
        long n = 1;
        for (int d : ds) {
            n *= x.shape[d];
        }
        Tensor centered = x.sub(x.mean(ds, true));
        Tensor ss = centered.mul(centered).sum(ds, keepdim);
        return ss.div(Math.max(n - (unbiased ? 1 : 0), 0));
    }

    /**
     * The square root of {@link #var}, with PyTorch's gradient {@code g / (2 std)} set to 0 where
     * std is 0 (a constant slice), where sqrt's own gradient would make it 0 · inf = NaN.
     */
    static Tensor std(Tensor x, int[] dims, boolean unbiased, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("std: input dtype must be floating point, got " + x.dtype());
        }
        Tensor v = var(x, dims, unbiased, keepdim);
        Tensor out;
        try (var off = GradMode.off()) {
            out = v.sqrt();
        }
        return Autograd.record(out, "StdBackward0", Autograd.saved(out), (g, n) -> new Tensor[] {
                Pointwise.where(out.eq(0), Pointwise.scalarFor(out, 0), g.div(out.mul(2)))}, v);
    }
}
