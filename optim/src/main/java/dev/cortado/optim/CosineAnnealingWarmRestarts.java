package dev.cortado.optim;

/**
 * {@code CosineAnnealingWarmRestarts(optimizer, T_0, T_mult=1, eta_min=0)} (SGDR): cosine annealing
 * from the lr to etaMin over T_0 steps, then again from the lr over T_0·T_mult steps, and so on.
 */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0;
    private final int tMult;
    private final double etaMin;

    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        if (t0 <= 0) {
            throw new IllegalArgumentException("CosineAnnealingWarmRestarts: T_0 must be a positive integer, got " + t0);
        }
        if (tMult < 1) {
            throw new IllegalArgumentException("CosineAnnealingWarmRestarts: T_mult must be an integer of at least 1, got " + tMult);
        }
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        // The step within the current cycle and that cycle's length, counted exactly in integers.
        long cur = tMult == 1 ? epoch % t0 : epoch;
        long length = t0;
        while (cur >= length) {
            cur -= length;
            length *= tMult;
        }
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * cur / length)) / 2;
    }
}
