package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.BCELoss}: binary cross-entropy on probabilities (a sigmoid's output); {@link BCEWithLogitsLoss} is the stable form on logits. */
public final class BCELoss extends Loss {
    private final Tensor weight;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight, reduction);
    }
}
