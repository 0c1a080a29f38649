package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.SmoothL1Loss}: squared error below {@code beta} (halved and divided by beta), absolute error above. */
public final class SmoothL1Loss extends Loss {
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }
}
