package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.ReduceOp;

/**
 * {@code torch.logsumexp}: log Σ exp(x) over dims, computed as m + log Σ exp(x - m) with m the
 * maximum, so large inputs do not overflow (an infinite maximum is taken as 0, as in PyTorch, so
 * that -inf everywhere gives -inf and +inf gives +inf); the gradient is PyTorch's g·exp(x - result),
 * the softmax over the reduced dims.
 */
final class LogSumExp {
    private LogSumExp() {
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("logsumexp: input dtype must be floating point, got " + x.dtype());
        }
        int[] ds = x.dim() == 0 ? new int[0] : Shapes.dims("logsumexp", dims, x.dim());
        if (ds.length == 0 && x.dim() > 0) {
            ds = Shapes.all(x.dim()); // an empty dims list reduces every dim, as sum's does
        }
        boolean empty = false;
        for (int d : ds) {
            empty |= x.shape[d] == 0;
        }
        Tensor kept;
        try (var off = GradMode.off()) {
            if (empty) {
                // The log of an empty sum: -inf, as PyTorch gives.
                int[] shape = x.shape.clone();
                for (int d : ds) {
                    shape[d] = 1;
                }
                kept = Creation.full(shape, Double.NEGATIVE_INFINITY, x.dtype(), x.device());
            } else {
                Tensor m = ds.length == 0 ? x : Reductions.reduce(ReduceOp.MAX, x, ds, true);
                m = Tensor.where(m.abs().eq(Double.POSITIVE_INFINITY), Pointwise.scalarFor(m, 0), m);
                Tensor summed = ds.length == 0 ? x.sub(m).exp() : x.sub(m).exp().sum(ds, true);
                kept = summed.log().add(m);
            }
        }
        Tensor result = kept;
        Tensor out = keepdim || ds.length == 0 ? Kernels.view(kept, kept.shape, kept.strides, 0) : Reductions.withoutDims(kept, ds);
        return Autograd.record(out, "LogsumexpBackward0", Autograd.saved(x, result), (g, n) -> {
            Tensor grad = keepdim ? g : g.reshape(result.shape);
            // The output itself, not its plain copy, so that a createGraph pass sees it move with x.
            return new Tensor[] {grad.mul(x.sub(out.reshape(result.shape)).exp())};
        }, x);
    }
}
