package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Classification;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Int64Range;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;


/** Loss functions with PyTorch's formulas, reductions and argument checks. */
final class Losses {
    private Losses() {
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction, double smoothing) {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("cross_entropy: label_smoothing must be between 0.0 and 1.0, got " + smoothing);
        }
        return classLoss("cross_entropy", input, target, weight, ignoreIndex, reduction, smoothing, true);
    }

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return classLoss("nll_loss", input, target, weight, ignoreIndex, reduction, 0, false);
    }

    /** Brings (C), (N, C) and (N, C, d1, ...) inputs to rows of classes, computes, and restores the target's shape. */
    private static Tensor classLoss(String op, Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                    double smoothing, boolean logits) {
        boolean probs = target.dtype() == DType.FLOAT32;
        if (input.dim() < 1 || input.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": input must be a float32 tensor (N, C) or (C), got " + Shapes.str(input.shape())
                    + " " + input.dtype());
        }
        if (!probs && input.dim() > 1 && target.dim() == input.dim()) {
            throw new IllegalArgumentException(op + ": target " + Shapes.str(target.shape()) + " for input " + Shapes.str(input.shape())
                    + " must hold int64 class indices of shape " + Shapes.str(without(input.shape(), 1)) + " or float32 probabilities of the"
                    + " input's shape");
        }
        int[] expected = probs ? input.shape() : input.dim() == 1 ? new int[0] : without(input.shape(), 1);
        if (!java.util.Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException(op + ": target " + Shapes.str(target.shape()) + " does not match input "
                    + Shapes.str(input.shape()) + "; expected " + (probs ? "probabilities of shape " : "class indices of shape ")
                    + Shapes.str(expected));
        }
        int c = input.dim() == 1 ? input.size(0) : input.size(1);
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape()) + " must have one value per class (" + c + ")");
        }
        Tensor rows = input.dim() == 1 ? input.unsqueeze(0) : input.dim() == 2 ? input : classesLast(input).reshape(-1, c);
        Tensor t = probs ? (target.dim() == 1 ? target.unsqueeze(0) : target.dim() == 2 ? target : classesLast(target).reshape(-1, c))
                : target.reshape(-1);
        Tensor logp = logits ? rows.logSoftmax(1) : rows;
        if (probs && !logits) {
            throw new IllegalArgumentException(op + ": target must hold int64 class indices, got float32");
        }
        Tensor[] lossAndDenominator = probs ? probabilityLoss(logp, t, weight, smoothing) : indexLoss(op, logp, t, weight, ignoreIndex, smoothing);
        Tensor perRow = lossAndDenominator[0];
        return switch (reduction) {
            case NONE -> perRow.reshape(input.dim() == 1 ? new int[0] : without(input.shape(), 1));
            case SUM -> perRow.sum();
            case MEAN -> perRow.sum().div(lossAndDenominator[1]);
            case BATCHMEAN -> throw batchMeanOnlyForKlDiv();
        };
    }

    /** Per-row loss for class-index targets, and the weight total that a mean divides by. */
    private static Tensor[] indexLoss(String op, Tensor logp, Tensor t, Tensor weight, long ignoreIndex, double smoothing) {
        int c = logp.size(1);
        // Reading targets from a GPU waits for every queued kernel; targets uploaded from the host
        // are known to be in range without it.
        if (!Int64Range.knownWithin(t, 0, c)) {
            long[] labels = t.toLongArray();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != ignoreIndex && (labels[i] < 0 || labels[i] >= c)) {
                    throw new IllegalArgumentException(op + ": target " + labels[i] + " at position " + i + " is out of bounds for " + c
                            + " classes (valid: 0.." + (c - 1) + (ignoreIndex < 0 || ignoreIndex >= c ? ", or ignore_index " + ignoreIndex
                            : "") + ")");
                }
            }
        }
        Tensor[] lossAndTotal = Classification.nllLoss(logp, t, weight, ignoreIndex);
        Tensor loss = lossAndTotal[0];
        if (smoothing > 0) {
            Tensor all = weight == null ? logp : logp.mul(weight);
            // Ignored rows are selected away, not multiplied by 0, which -inf log-probabilities
            // (masked logits) would turn into NaN.
            Tensor smooth = Tensor.where(t.ne(ignoreIndex), all.sum(1).neg(), Tensor.zeros(new int[0], DType.FLOAT32, all.device()));
            loss = loss.mul(1 - smoothing).add(smooth.mul(smoothing / c));
        }
        return new Tensor[] {loss, lossAndTotal[1]};
    }

    private static Tensor[] probabilityLoss(Tensor logp, Tensor target, Tensor weight, double smoothing) {
        int c = logp.size(1);
        Tensor t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / c) : target;
        Tensor terms = logp.mul(t);
        if (weight != null) {
            terms = terms.mul(weight);
        }
        return new Tensor[] {terms.sum(1).neg(), Tensor.scalar(logp.size(0)).to(logp.device())};
    }

    /** (N, C, d1, ...) to (N, d1, ..., C). */
    private static Tensor classesLast(Tensor x) {
        int[] perm = new int[x.dim()];
        perm[0] = 0;
        for (int d = 2; d < x.dim(); d++) {
            perm[d - 1] = d;
        }
        perm[x.dim() - 1] = 1;
        return x.permute(perm);
    }

    private static int[] without(int[] shape, int dim) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (i != dim) {
                out[k++] = shape[i];
            }
        }
        return out;
    }

    static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse_loss", input, target);
        return reduce(input.sub(target).square(), reduction);
    }

    /**
     * Elementwise {@code (1 - y) x + (1 + (pw - 1) y) softplus(-x)}, computed without overflow,
     * with its exact gradient (a composite would lose it at x = 0 through |x|). pos_weight is a constant.
     */
    static Tensor bceWithLogits(Tensor x, Tensor y, Tensor posWeight, Reduction reduction) {
        sameShape("binary_cross_entropy_with_logits", x, y);
        Tensor loss;
        Tensor softplusNeg;
        Tensor logWeight;
        try (var g = GradMode.off()) {
            Tensor maxVal = x.neg().clampMin(0);
            softplusNeg = maxVal.add(maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log());
            logWeight = posWeight == null ? null : posWeight.sub(1).mul(y).add(1);
            loss = y.rsub(1).mul(x).add(logWeight == null ? softplusNeg : logWeight.mul(softplusNeg));
        }
        Tensor[] saved = {x, y, posWeight};
        Tensor elementwise = CustomFunction.record(loss, "BinaryCrossEntropyWithLogitsBackward0", saved, (g, needs) -> {
            // PyTorch's form, (lw·σ(x) − pw·y)·g: it keeps σ(x) itself for very negative x, where
            // 1 − lw·σ(−x) would round it away (2e-9 at x = −20 became 0).
            Tensor gx = null;
            if (needs[0]) {
                Tensor sig = x.sigmoid();
                gx = (posWeight == null ? sig.sub(y) : logWeight.mul(sig).sub(posWeight.mul(y))).mul(g);
            }
            Tensor gy = needs[1] ? (posWeight == null ? x.neg() : x.neg().add(posWeight.sub(1).mul(softplusNeg))).mul(g) : null;
            return new Tensor[] {gx, gy};
        }, x, y);
        return reduce(elementwise, reduction);
    }

    static void sameShape(String op, Tensor input, Tensor target) {
        if (!java.util.Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": target size " + Shapes.str(target.shape()) + " must be the same as input size "
                    + Shapes.str(input.shape()) + " (no silent broadcasting)");
        }
        if (input.dtype() != DType.FLOAT32 || target.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": input and target must be float32, got " + input.dtype() + " and " + target.dtype());
        }
    }

    static Tensor reduce(Tensor t, Reduction reduction) {
        return switch (reduction) {
            case NONE -> t;
            case SUM -> t.sum();
            case MEAN -> t.mean();
            case BATCHMEAN -> throw batchMeanOnlyForKlDiv();
        };
    }

    static IllegalArgumentException batchMeanOnlyForKlDiv() {
        return new IllegalArgumentException("reduction BATCHMEAN is only for kl_div; use MEAN, SUM or NONE");
    }
}
