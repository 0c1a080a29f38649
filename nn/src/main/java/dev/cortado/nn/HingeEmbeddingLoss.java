package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.HingeEmbeddingLoss(margin=1.0)}: x (a distance) where y is 1, max(0, margin - x) where y is -1. */
public final class HingeEmbeddingLoss extends Loss {
    private final double margin;

    public HingeEmbeddingLoss() {
        this(1.0, Reduction.MEAN);
    }

    public HingeEmbeddingLoss(double margin, Reduction reduction) {
        super(reduction);
        this.margin = margin;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.hingeEmbeddingLoss(input, target, margin, reduction);
    }
}
