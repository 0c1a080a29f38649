package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.function.BinaryOperator;

/**
 * {@code nn.TripletMarginWithDistanceLoss(distance_function=None, margin=1.0, swap=False)}:
 * max(0, margin + d(a, p) − d(a, n)) with a distance of the caller's choosing (the Euclidean
 * {@link PairwiseDistance} when null).
 */
public final class TripletMarginWithDistanceLoss {
    private final BinaryOperator<Tensor> distanceFunction;
    private final double margin;
    private final boolean swap;
    private final Reduction reduction;

    public TripletMarginWithDistanceLoss() {
        this(null, 1.0, false, Reduction.MEAN);
    }

    public TripletMarginWithDistanceLoss(BinaryOperator<Tensor> distanceFunction, double margin, boolean swap, Reduction reduction) {
        if (!(margin > 0)) {
            throw new IllegalArgumentException("TripletMarginWithDistanceLoss: margin must be greater than 0, got " + margin);
        }
        this.distanceFunction = distanceFunction;
        this.margin = margin;
        this.swap = swap;
        this.reduction = reduction;
    }

    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        return F.tripletMarginWithDistanceLoss(anchor, positive, negative, distanceFunction, margin, swap, reduction);
    }
}
