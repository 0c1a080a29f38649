package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.MSELoss}: squared error, averaged by default. */
public final class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction);
    }
}
