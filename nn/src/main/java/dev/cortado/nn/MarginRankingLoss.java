package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.MarginRankingLoss(margin=0.0)}: max(0, -y (x1 - x2) + margin); y = 1 asks x1 to rank above x2. */
public final class MarginRankingLoss {
    private final double margin;
    private final Reduction reduction;

    public MarginRankingLoss() {
        this(0.0, Reduction.MEAN);
    }

    public MarginRankingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) {
        return F.marginRankingLoss(input1, input2, target, margin, reduction);
    }
}
