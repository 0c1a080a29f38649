package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-6, swap=False)}: max(0, margin + d(a, p) - d(a, n)). */
public final class TripletMarginLoss {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;
    private final Reduction reduction;

    public TripletMarginLoss() {
        this(1.0, 2.0, 1e-6, false, Reduction.MEAN);
    }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        if (!(margin > 0)) {
            throw new IllegalArgumentException("TripletMarginLoss: margin must be greater than 0, got " + margin);
        }
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        return F.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, reduction);
    }
}
