package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.MultiLabelSoftMarginLoss(weight=None)}: per sample, the mean over classes of binary cross-entropy on logits, for 0/1 targets. */
public final class MultiLabelSoftMarginLoss extends Loss {
    private final Tensor weight;

    public MultiLabelSoftMarginLoss() {
        this(null, Reduction.MEAN);
    }

    /** weight (C), one factor per class, or null. */
    public MultiLabelSoftMarginLoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.multilabelSoftMarginLoss(input, target, weight, reduction);
    }
}
