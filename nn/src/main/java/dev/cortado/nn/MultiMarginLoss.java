package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.MultiMarginLoss(p=1, margin=1.0, weight=None)}: the multi-class hinge loss on scores (N, C) and int64 class targets (N). */
public final class MultiMarginLoss extends Loss {
    private final int p;
    private final double margin;
    private final Tensor weight;

    public MultiMarginLoss() {
        this(1, 1.0, null, Reduction.MEAN);
    }

    /** p is 1 or 2; weight (C), one factor per class, or null. */
    public MultiMarginLoss(int p, double margin, Tensor weight, Reduction reduction) {
        super(reduction);
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException("MultiMarginLoss: only p == 1 and p == 2 are supported, got " + p);
        }
        this.p = p;
        this.margin = margin;
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.multiMarginLoss(input, target, p, margin, weight, reduction);
    }
}
