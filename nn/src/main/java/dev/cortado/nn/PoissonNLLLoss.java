package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8)}: negative log-likelihood of counts under a Poisson rate. */
public final class PoissonNLLLoss extends Loss {
    private final boolean logInput;
    private final boolean full;
    private final double eps;

    public PoissonNLLLoss() {
        this(true, false, 1e-8, Reduction.MEAN);
    }

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, Reduction reduction) {
        super(reduction);
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.poissonNllLoss(input, target, logInput, full, eps, reduction);
    }
}
