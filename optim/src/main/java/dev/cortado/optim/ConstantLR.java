package dev.cortado.optim;

/** {@code ConstantLR(optimizer, factor=1/3, total_iters=5)}: the lr times factor for the first totalIters steps, then the lr. */
public final class ConstantLR extends LRScheduler {
    private final double factor;
    private final int totalIters;

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        super(optimizer);
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("ConstantLR: factor must be in [0, 1], got " + factor);
        }
        if (totalIters < 0) {
            throw new IllegalArgumentException("ConstantLR: total_iters must be non-negative, got " + totalIters);
        }
        this.factor = factor;
        this.totalIters = totalIters;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return epoch < totalIters ? baseLr * factor : baseLr;
    }

    /** PyTorch's chainable step: the current lr times factor at step 0, divided by it again at total_iters. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        if (epoch == 0) {
            return lr * factor;
        }
        if (epoch != totalIters) {
            return lr;
        }
        // A factor of 0 cannot be divided out (PyTorch fails there); the closed form gives the lr back.
        return factor == 0 ? lrAt(baseLr, epoch) : lr * (1.0 / factor);
    }
}
