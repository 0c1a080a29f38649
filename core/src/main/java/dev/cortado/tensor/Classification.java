package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.Backend;

/**
 * The negative log-likelihood of class-index targets, the core of {@code nll_loss} and
 * {@code cross_entropy}: one backend pass each way where the backend has it, otherwise a
 * composition of elementwise ops and reductions with the same values.
 */
public final class Classification {
    private Classification() {
    }

    /**
     * {@code F.one_hot}: int64 labels to int64 rows with a 1 at each label, shape labels' plus
     * numClasses; numClasses -1 takes the largest label plus 1 (read back).
     */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        if (labels.dtype() != DType.INT64) {
            throw new IllegalArgumentException("oneHot: labels must be int64 class indices, got " + labels.dtype());
        }
        if (numClasses < -1) {
            throw new IllegalArgumentException("oneHot: numClasses must be -1 (from the labels) or non-negative, got " + numClasses);
        }
        if (labels.numel() == 0 && numClasses == -1) {
            throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor; pass numClasses");
        }
        int classes = numClasses;
        if (labels.numel() > 0 && (numClasses == -1 || !Int64Range.knownWithin(labels, 0, numClasses))) {
            long[] range = Int64Range.of(labels);
            if (range[0] < 0) {
                throw new IllegalArgumentException("oneHot: class values must be non-negative, got " + range[0]);
            }
            if (numClasses == -1) {
                classes = (int) range[1] + 1;
            } else if (range[1] >= numClasses) {
                throw new IllegalArgumentException("oneHot: class values must be smaller than numClasses " + numClasses + ", got "
                        + range[1]);
            }
        }
        return labels.unsqueeze(-1).eq(Positions.upTo(classes, labels.device())).to(DType.INT64);
    }

    /**
     * Per-row loss {@code −logp[i, t_i]·w[t_i]} and the total weight {@code Σ w[t_i]} of the rows
     * not ignored (a mean divides by it), for logp (N, C), targets (N) already checked to lie in
     * [0, C) or equal ignoreIndex, and weight (C) or null (1).
     */
    public static Tensor[] nllLoss(Tensor logp, Tensor target, Tensor weight, long ignoreIndex) {
        if (logp.dim() != 2 || logp.dtype() != DType.FLOAT32 || target.dtype() != DType.INT64 || target.dim() != 1
                || target.size(0) != logp.size(0) || weight != null && (weight.dim() != 1 || weight.size(0) != logp.size(1))) {
            throw new IllegalArgumentException("nll_loss: expected float32 log-probabilities (N, C), int64 targets (N) and a weight (C) or "
                    + "none, got " + Shapes.str(logp.shape) + " " + logp.dtype() + ", " + Shapes.str(target.shape) + " " + target.dtype()
                    + (weight == null ? "" : ", weight " + Shapes.str(weight.shape)));
        }
        if (weight == null) {
            Kernels.sameDevice("nll_loss", logp, target);
        } else {
            Kernels.sameDevice("nll_loss", logp, target, weight);
        }
        int n = logp.size(0);
        int c = logp.size(1);
        Backend be = Kernels.backend(logp);
        boolean fusable = weight == null || weight.dtype() == DType.FLOAT32 && !Autograd.needed(weight);
        if (fusable) {
            Tensor x = logp.contiguous();
            Tensor t = target.contiguous();
            Tensor w = weight == null ? null : weight.contiguous();
            Tensor loss = Kernels.empty(new int[] {n}, DType.FLOAT32, logp.device());
            Tensor rowWeight = Kernels.empty(new int[] {n}, DType.FLOAT32, logp.device());
            if (be.nllLoss(loss, rowWeight, x, t, w, ignoreIndex)) {
                Tensor total;
                try (var off = GradMode.off()) {
                    total = rowWeight.sum();
                }
                Tensor out = Autograd.record(loss, "NllLossBackward0", Autograd.saved(t, w), (g, needs) -> {
                    Tensor grad = Kernels.empty(new int[] {n, c}, DType.FLOAT32, g.device());
                    if (!Kernels.backend(g).nllLossBackward(grad, g, t, w, ignoreIndex)) {
                        throw new IllegalStateException("nll_loss: the backend computed the forward pass but not its gradient");
                    }
                    // Linear in g: recorded in a createGraph pass, its adjoint reading each row's
                    // target column (any column of an ignored row, whose weight is 0).
                    return new Tensor[] {Autograd.record(grad, "NllLossBackwardBackward0", (gg, n2) -> {
                        Tensor column = Pointwise.where(t.eq(ignoreIndex), t.mul(0), t).unsqueeze(1);
                        return new Tensor[] {gg.gather(1, column).squeeze(1).mul(rowWeight).neg()};
                    }, g)};
                }, x);
                return new Tensor[] {out, total};
            }
            loss.close();
            rowWeight.close();
        }
        Tensor valid = target.ne(ignoreIndex);
        Tensor hit = target.unsqueeze(1).eq(Positions.upTo(c, target.device())).mul(valid.unsqueeze(1));
        Tensor picked = weight == null ? hit : hit.mul(weight);
        // Selected, not multiplied by the one-hot: a -inf log-probability in a column that is not
        // the target (a masked logit) must not turn the row's loss into NaN through -inf * 0, and
        // an infinite gradient of the loss (a mean over no rows) must not reach the other columns.
        Tensor logpAtTarget = Pointwise.where(hit, logp, Pointwise.scalarFor(logp, 0));
        // 0 - x rather than -x: an ignored row's loss is +0, as the backends' kernels and PyTorch give.
        return new Tensor[] {logpAtTarget.mul(picked).sum(1).rsub(0), picked.sum()};
    }
}
