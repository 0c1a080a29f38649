package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.KLDivLoss}: KL divergence of target from log-probabilities; {@link Reduction#BATCHMEAN} gives it per sample. */
public final class KLDivLoss extends Loss {
    private final boolean logTarget;

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reduction, logTarget);
    }
}
