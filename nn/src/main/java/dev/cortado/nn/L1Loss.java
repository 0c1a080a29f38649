package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.L1Loss}: absolute error, averaged by default. */
public final class L1Loss extends Loss {

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction);
    }
}
