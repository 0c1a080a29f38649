package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Losses that compare input and target element by element (L1, smooth L1, Huber, binary cross
 * entropy, KL divergence), with PyTorch's formulas, gradients and reductions.
 */
final class PointwiseLosses {
    private PointwiseLosses() {
    }

    static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        Losses.sameShape("l1_loss", input, target);
        return Losses.reduce(input.sub(target).abs(), reduction);
    }

    /** 0.5 d² / beta where |d| < beta, else |d| - 0.5 beta; beta 0 is L1. */
    static Tensor smoothL1(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smooth_l1_loss: beta must be at least 0, got " + beta);
        }
        Losses.sameShape("smooth_l1_loss", input, target);
        Tensor d = input.sub(target);
        if (beta == 0) {
            return Losses.reduce(d.abs(), reduction);
        }
        Tensor z = d.abs();
        return Losses.reduce(Tensor.where(z.lt(beta), d.square().mul(0.5 / beta), z.sub(0.5 * beta)), reduction);
    }

    /** 0.5 d² where |d| < delta, else delta (|d| - 0.5 delta): smooth L1 times delta, with beta = delta. */
    static Tensor huber(Tensor input, Tensor target, Reduction reduction, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber_loss: delta must be greater than 0, got " + delta);
        }
        Losses.sameShape("huber_loss", input, target);
        Tensor d = input.sub(target);
        Tensor z = d.abs();
        return Losses.reduce(Tensor.where(z.lt(delta), d.square().mul(0.5), z.sub(0.5 * delta).mul(delta)), reduction);
    }

    /**
     * -w (y log x + (1 - y) log(1 - x)) on probabilities x, each log clamped at -100 so that
     * x = 0 or 1 gives a finite loss, as PyTorch does; the gradient is PyTorch's
     * w (x - y) / max(x (1 - x), 1e-12), which stays finite there too. Reads back the input's
     * range (one synchronisation on a GPU) to refuse values outside [0, 1] rather than return NaN.
     */
    static Tensor binaryCrossEntropy(Tensor x, Tensor y, Tensor weight, Reduction reduction) {
        Losses.sameShape("binary_cross_entropy", x, y);
        if (weight != null && !java.util.Arrays.equals(Shapes.broadcast("binary_cross_entropy", weight.shape(), x.shape()), x.shape())) {
            throw new IllegalArgumentException("binary_cross_entropy: weight " + Shapes.str(weight.shape()) + " must broadcast to the input's shape "
                    + Shapes.str(x.shape()));
        }
        Tensor loss;
        Tensor logX;
        Tensor log1mX;
        try (var g = GradMode.off()) {
            if (x.numel() > 0) {
                double lo = x.min().item();
                double hi = x.max().item();
                if (!(lo >= 0 && hi <= 1)) {
                    throw new IllegalArgumentException("binary_cross_entropy: all elements of input should be between 0 and 1, got values from "
                            + lo + " to " + hi + " (apply sigmoid first, or use binaryCrossEntropyWithLogits)");
                }
            }
            logX = x.log().clampMin(-100);
            log1mX = x.neg().log1p().clampMin(-100);
            loss = y.sub(1).mul(log1mX).sub(y.mul(logX));
            if (weight != null) {
                loss = loss.mul(weight);
            }
        }
        Tensor elementwise = CustomFunction.record(loss, "BinaryCrossEntropyBackward0", new Tensor[] {x, y, weight}, (g, needs) -> {
            Tensor w = weight == null ? g : g.mul(weight);
            Tensor gx = needs[0] ? x.sub(y).div(x.rsub(1).mul(x).clampMin(1e-12)).mul(w) : null;
            Tensor gy = needs[1] ? log1mX.sub(logX).mul(w) : null;
            return new Tensor[] {gx, gy};
        }, x, y);
        return Losses.reduce(elementwise, reduction);
    }

    /**
     * PyTorch's {@code kl_div(input, target)} with input log-probabilities: target (log target -
     * input), 0 where target is 0; with logTarget, exp(target) (target - input). BATCHMEAN divides
     * the sum by the batch size, which gives the KL divergence per sample.
     */
    static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        Losses.sameShape("kl_div", input, target);
        Tensor elementwise;
        if (logTarget) {
            elementwise = target.exp().mul(target.sub(input));
        } else {
            // xlogy(t, t) - t input: t log t is taken as 0 at t = 0.
            Tensor zero = target.eq(0);
            elementwise = Tensor.where(zero, Tensor.zeros(new int[0], target.dtype(), target.device()), target.mul(target.log()))
                    .sub(target.mul(input));
        }
        if (reduction == Reduction.BATCHMEAN) {
            Tensor sum = elementwise.sum();
            return input.dim() == 0 ? sum : sum.div(input.size(0));
        }
        return Losses.reduce(elementwise, reduction);
    }
}
