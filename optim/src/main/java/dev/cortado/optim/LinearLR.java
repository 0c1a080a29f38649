package dev.cortado.optim;

/**
 * {@code LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)}: the lr times a
 * factor that moves linearly from startFactor to endFactor over totalIters steps, then stays (a warm-up).
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: start_factor must be in (0, 1] and end_factor in [0, 1], got " + startFactor + " and "
                    + endFactor);
        }
        if (totalIters < 0) {
            throw new IllegalArgumentException("LinearLR: total_iters must be non-negative, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        double progress = totalIters == 0 ? 1 : (double) Math.min(totalIters, epoch) / totalIters;
        return baseLr * (startFactor + (endFactor - startFactor) * progress);
    }

    /** PyTorch's chainable step: the current lr times the ratio of this step's factor to the last one's. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        if (epoch == 0) {
            return lr * startFactor;
        }
        if (epoch > totalIters) {
            return lr;
        }
        return lr * (1. + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor)));
    }
}
