package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

import java.util.List;

/**
 * cummax, cummin and logcumsumexp as running scans by doubling, composed from elementwise ops so
 * that every backend has them: after the step of width w, each element combines the 2w elements
 * ending at it (log₂ n steps). The combining rules are associative, which the doubling needs:
 * cummax keeps the later element when it is NaN, or at least as large as an earlier non-NaN one
 * (PyTorch's index for ties and NaN); logcumsumexp adds in log space.
 */
final class Scans {
    private Scans() {
    }

    static ValuesIndices cumulativeExtreme(Tensor x, int dim, boolean max) {
        String op = max ? "cummax" : "cummin";
        if (x.dim() == 0) {
            Shapes.dim(op, dim, 1);
            ValuesIndices one = cumulativeExtreme(x.reshape(1), 0, max);
            return new ValuesIndices(one.values().reshape(), one.indices().reshape());
        }
        int d = Shapes.dim(op, dim, x.dim());
        int n = x.size(d);
        int[] line = new int[x.dim()];
        java.util.Arrays.fill(line, 1);
        line[d] = n;
        Tensor values;
        Tensor indices;
        try (var off = GradMode.off()) {
            values = ViewOps.clone(x);
            long[] positions = new long[n];
            for (int i = 0; i < n; i++) {
                positions[i] = i;
            }
            indices = ViewOps.clone(Creation.fromLongs(positions, line, x.device()).expand(x.shape()));
            for (int shift = 1; shift < n; shift *= 2) {
                Tensor earlier = values.narrow(d, 0, n - shift);
                Tensor later = values.narrow(d, shift, n - shift);
                Tensor beats = max ? later.ge(earlier) : later.le(earlier);
                Tensor laterWins = later.isnan().add(earlier.isnan().rsub(1).mul(beats)).gt(0);
                Tensor keptValues = Pointwise.where(laterWins, later, earlier);
                Tensor keptIndices = Pointwise.where(laterWins, indices.narrow(d, shift, n - shift), indices.narrow(d, 0, n - shift));
                values = Tensor.cat(List.of(values.narrow(d, 0, shift), keptValues), d);
                indices = Tensor.cat(List.of(indices.narrow(d, 0, shift), keptIndices), d);
            }
        }
        Tensor idx = indices;
        int[] shape = x.shape();
        Tensor out = x.dtype() != DType.FLOAT32 ? values : Autograd.record(values, max ? "CummaxBackward0" : "CumminBackward0",
                Autograd.saved(idx), (g, n2) -> new Tensor[] {Creation.full(shape, 0, DType.FLOAT32, g.device()).scatterAdd(d, idx, g)}, x);
        return new ValuesIndices(out, idx);
    }

    static Tensor logcumsumexp(Tensor x, int dim) {
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("logcumsumexp: expected a float32 tensor, got " + x.dtype());
        }
        if (x.dim() == 0) {
            Shapes.dim("logcumsumexp", dim, 1);
            return logcumsumexp(x.reshape(1), 0).reshape();
        }
        int d = Shapes.dim("logcumsumexp", dim, x.dim());
        int n = x.size(d);
        Tensor y;
        try (var off = GradMode.off()) {
            y = ViewOps.clone(x);
            for (int shift = 1; shift < n; shift *= 2) {
                Tensor sum = ElementwiseComposites.logAddExpValue(y.narrow(d, 0, n - shift), y.narrow(d, shift, n - shift), false);
                y = Tensor.cat(List.of(y.narrow(d, 0, shift), sum), d);
            }
        }
        Tensor out = y;
        return Autograd.record(out, "LogcumsumexpBackward0", Autograd.saved(x, out), (g, n2) -> new Tensor[] {backward(g, x, out, d)}, x);
    }

    /**
     * PyTorch's logcumsumexp_backward: the positive and the negative parts of the gradient go
     * through reversed scans in log space, so that no exp overflows.
     */
    private static Tensor backward(Tensor g, Tensor x, Tensor out, int d) {
        Tensor lowest = Pointwise.scalarFor(g, -Float.MAX_VALUE);
        Tensor logAbs = g.abs().log();
        Tensor positive = Pointwise.where(g.gt(0), logAbs, lowest);
        Tensor negative = Pointwise.where(g.lt(0), logAbs, lowest);
        Tensor fromPositive = reversed(positive.sub(out), d).add(x).exp();
        Tensor fromNegative = reversed(negative.sub(out), d).add(x).exp();
        return fromPositive.sub(fromNegative);
    }

    private static Tensor reversed(Tensor t, int d) {
        return logcumsumexp(t.flip(d), d).flip(d);
    }
}
