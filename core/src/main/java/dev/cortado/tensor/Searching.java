package dev.cortado.tensor;

/**
 * cumprod, searchsorted and bucketize, composed from elementwise ops and comparisons so that
 * every backend has them: cumprod by repeated doubling (log₂ n products, differentiable with
 * zeros in the input, since nothing is divided), the searches by counting the boundaries below
 * each value.
 */
final class Searching {
    private Searching() {
    }

    /** Running products along dim: after the step of width w, each element holds the product of the w·2 elements ending at it. */
    static Tensor cumprod(Tensor x, int dim) {
        int d = Shapes.dim("cumprod", dim, Math.max(x.dim(), 1));
        if (x.dim() == 0) {
            return x.mul(1);
        }
        int n = x.size(d);
        Tensor y = x;
        for (int shift = 1; shift < n; shift *= 2) {
            Tensor head = y.narrow(d, 0, shift);
            Tensor tail = y.narrow(d, shift, n - shift).mul(y.narrow(d, 0, n - shift));
            y = Tensor.cat(java.util.List.of(head, tail), d);
        }
        return n == 1 ? x.mul(1) : y;
    }

    /**
     * For each value, the index at which it would be inserted into the sorted innermost rows of
     * sortedSequence: after the boundaries below it (left), or also after those equal (right).
     * A 1-d sequence serves values of any shape; otherwise the leading dims must match.
     */
    static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        if (sortedSequence.dim() == 0) {
            throw new IllegalArgumentException("searchsorted: the sorted sequence must have at least one dim, got a 0-d tensor");
        }
        Tensor v;
        Tensor s;
        if (sortedSequence.dim() == 1) {
            v = values.unsqueeze(-1);
            s = sortedSequence;
        } else {
            int lead = sortedSequence.dim() - 1;
            if (values.dim() != sortedSequence.dim()
                    || !java.util.Arrays.equals(java.util.Arrays.copyOf(values.shape(), lead), java.util.Arrays.copyOf(sortedSequence.shape(), lead))) {
                throw new IllegalArgumentException("searchsorted: boundaries " + Shapes.str(sortedSequence.shape()) + " and input value "
                        + Shapes.str(values.shape()) + " must have the same leading dims (all but the last)");
            }
            v = values.unsqueeze(-1);
            s = sortedSequence.unsqueeze(-2);
        }
        Tensor below = right ? s.le(v) : s.lt(v);
        return below.sum(new int[] {-1}, false).to(DType.INT64);
    }
}
