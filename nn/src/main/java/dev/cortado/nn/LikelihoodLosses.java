package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** The Poisson and Gaussian negative log-likelihoods, with PyTorch's formulas and its treatment of small variances. */
final class LikelihoodLosses {
    private LikelihoodLosses() {
    }

    /**
     * exp(x) - y x for log rates x (logInput), else x - y log(x + eps); full adds Stirling's
     * y log y - y + ½ log(2π y) where y > 1.
     */
    static Tensor poissonNll(Tensor input, Tensor target, boolean logInput, boolean full, double eps, Reduction reduction) {
        Losses.sameShape("poisson_nll_loss", input, target);
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            Tensor stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(Tensor.where(target.gt(1), stirling, stirling.newFull(new int[0], 0)));
        }
        return Losses.reduce(loss, reduction);
    }

    /**
     * ½ (log v + (x - y)² / v) (+ ½ log 2π when full), with one variance per element, per sample
     * (var (N, 1) or (N) for input (N, D)) or shared by broadcasting from those shapes. Variances
     * below eps count as eps, while their gradient is taken as if they had not been raised, as
     * PyTorch clamps a copy without autograd. Reads back the smallest variance (one
     * synchronisation on a GPU) to refuse a negative one.
     */
    static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
        String op = "gaussian_nll_loss";
        Losses.sameShape(op, input, target);
        Tensor v = var;
        if (!java.util.Arrays.equals(var.shape(), input.shape())) {
            int n = input.dim();
            int[] lead = java.util.Arrays.copyOf(input.shape(), Math.max(n - 1, 0));
            if (n > 0 && java.util.Arrays.equals(lead, var.shape())) {
                v = var.unsqueeze(-1);
            } else if (!(n > 0 && var.dim() == n && var.size(n - 1) == 1 && java.util.Arrays.equals(lead, java.util.Arrays.copyOf(var.shape(), n - 1)))) {
                throw new IllegalArgumentException(op + ": var " + Shapes.str(var.shape()) + " is of incorrect size for input "
                        + Shapes.str(input.shape()) + ": it must be the input's shape, that with the last dim 1, or that without the last dim");
            }
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException(op + ": eps must be non-negative, got " + eps);
        }
        if (reduction == Reduction.BATCHMEAN) {
            throw Losses.batchMeanOnlyForKlDiv();
        }
        Tensor raised;
        try (var off = GradMode.off()) {
            if (v.numel() > 0 && v.min().item() < 0) {
                throw new IllegalArgumentException(op + ": var has negative entry/entries");
            }
            raised = v.clampMin(eps);
        }
        Tensor clamped = CustomFunction.record(raised, "CloneBackward0", (g, needs) -> new Tensor[] {g}, v);
        Tensor loss = clamped.log().add(input.sub(target).square().div(clamped)).mul(0.5);
        if (full) {
            loss = loss.add(0.5 * Math.log(2 * Math.PI));
        }
        return Losses.reduce(loss, reduction);
    }
}
