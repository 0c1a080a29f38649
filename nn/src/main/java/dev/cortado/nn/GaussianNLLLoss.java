package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.GaussianNLLLoss(full=False, eps=1e-6)}: negative log-likelihood of targets under predicted means and variances. */
public final class GaussianNLLLoss {
    private final boolean full;
    private final double eps;
    private final Reduction reduction;

    public GaussianNLLLoss() {
        this(false, 1e-6, Reduction.MEAN);
    }

    public GaussianNLLLoss(boolean full, double eps, Reduction reduction) {
        this.full = full;
        this.eps = eps;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input, Tensor target, Tensor var) {
        return F.gaussianNllLoss(input, target, var, full, eps, reduction);
    }
}
