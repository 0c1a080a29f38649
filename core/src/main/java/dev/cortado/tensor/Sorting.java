package dev.cortado.tensor;

/**
 * sort, argsort and topk along one dim. The backends sort stably, NaN above every number (first
 * when descending) and -0.0 equal to 0.0, as PyTorch's {@code sort(stable=True)} does; topk is
 * the first k of that order, so equal values come in index order, where PyTorch's topk may order
 * ties otherwise. Gradients go back to the positions the values came from.
 */
final class Sorting {
    private Sorting() {
    }

    static ValuesIndices sort(Tensor x, int dim, boolean descending) {
        return sorted("sort", "SortBackward0", x, dim, descending, false, 0);
    }

    static Tensor argsort(Tensor x, int dim, boolean descending) {
        return sorted("argsort", null, x, dim, descending, false, 0).indices();
    }

    static ValuesIndices topk(Tensor x, int k, int dim, boolean largest) {
        return sorted("topk", "TopkBackward0", x, dim, largest, true, k);
    }

    /** The whole sorted order, or (top) its first k along dim. */
    private static ValuesIndices sorted(String op, String node, Tensor x, int dim, boolean descending, boolean top, int k) {
        if (x.dim() == 0) {
            Shapes.dim(op, dim, 0);
            if (top && (k < 0 || k > 1)) {
                throw new IndexOutOfBoundsException(op + ": selected index k out of range: k = " + k + " for a 0-dim tensor (one element)");
            }
            ValuesIndices r = sorted(op, node, x.reshape(1), 0, descending, false, 0);
            return new ValuesIndices(r.values().reshape(), r.indices().reshape());
        }
        int d = Shapes.dim(op, dim, x.dim());
        int len = x.shape[d];
        if (top && (k < 0 || k > len)) {
            throw new IndexOutOfBoundsException(op + ": selected index k out of range: k = " + k + " for dimension " + d + " of size " + len
                    + " in shape " + Shapes.str(x.shape));
        }
        Tensor values = Kernels.empty(x.shape, x.dtype(), x.device());
        Tensor indices = Kernels.empty(x.shape, DType.INT64, x.device());
        if (values.numel() > 0) {
            Kernels.backend(x).sort(values, indices, x, d, descending);
            Int64Range.inherit(values.storage, x);
        }
        if (top && k < len) {
            int[] shape = x.shape();
            shape[d] = k;
            values = Kernels.view(values, shape, values.strides, 0);
            indices = Kernels.view(indices, shape, indices.strides, 0);
        }
        if (node == null) { // argsort: the values are not returned, so nothing is recorded for them
            return new ValuesIndices(values, indices);
        }
        int[] xShape = x.shape;
        Tensor at = indices;
        Tensor v = Autograd.record(values, node, Autograd.saved(at), (g, n) -> {
            // at has x's shape but along d (topk keeps k there), as scatterAdd asks.
            return new Tensor[] {Indexing.scattered(xShape, d, at, g)};
        }, x);
        return new ValuesIndices(v, indices);
    }
}
