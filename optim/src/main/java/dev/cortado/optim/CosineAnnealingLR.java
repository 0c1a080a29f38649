package dev.cortado.optim;

/**
 * {@code CosineAnnealingLR(optimizer, T_max, eta_min=0)}:
 * {@code eta_min + (base − eta_min)(1 + cos(π t / T_max)) / 2}, rising again after T_max as PyTorch's does.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    /**
     * PyTorch's chainable step: the distance of the current lr above eta_min shrinks by the ratio
     * of the cosine's values; at the bottom of a period, where that ratio is undefined, it climbs
     * by the cosine's first step.
     */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        if (epoch == 0) {
            return lr;
        }
        if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
            return lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax)) * (lr - etaMin) + etaMin;
    }
}
