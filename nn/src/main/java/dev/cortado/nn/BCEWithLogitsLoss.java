package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.BCEWithLogitsLoss(reduction="mean", pos_weight=None)}: sigmoid and binary cross-entropy, stable for large logits. */
public final class BCEWithLogitsLoss extends Loss {
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, posWeight, reduction);
    }
}
