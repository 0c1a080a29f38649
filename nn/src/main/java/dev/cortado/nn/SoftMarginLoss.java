package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.SoftMarginLoss}: two-class logistic loss log(1 + exp(-y x)) for targets of ±1, averaged by default. */
public final class SoftMarginLoss extends Loss {
    public SoftMarginLoss() {
        this(Reduction.MEAN);
    }

    public SoftMarginLoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.softMarginLoss(input, target, reduction);
    }
}
