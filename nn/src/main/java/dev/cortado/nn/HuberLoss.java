package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.HuberLoss}: squared error below {@code delta} (halved), then linear with slope delta. */
public final class HuberLoss extends Loss {
    private final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.huberLoss(input, target, reduction, delta);
    }
}
