package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.CosineEmbeddingLoss(margin=0.0)}: 1 - cos(x1, x2) for similar pairs (y = 1), max(0, cos - margin) for dissimilar ones (y = -1). */
public final class CosineEmbeddingLoss {
    private final double margin;
    private final Reduction reduction;

    public CosineEmbeddingLoss() {
        this(0.0, Reduction.MEAN);
    }

    public CosineEmbeddingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
        return F.cosineEmbeddingLoss(input1, input2, target, margin, reduction);
    }
}
