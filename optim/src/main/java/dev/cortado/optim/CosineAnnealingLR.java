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
}
