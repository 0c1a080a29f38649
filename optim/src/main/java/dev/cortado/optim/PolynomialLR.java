package dev.cortado.optim;

/** {@code PolynomialLR(optimizer, total_iters=5, power=1.0)}: the lr times (1 - t / totalIters)^power, 0 from totalIters on. */
public final class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super(optimizer);
        if (totalIters <= 0) {
            throw new IllegalArgumentException("PolynomialLR: total_iters must be positive, got " + totalIters);
        }
        this.totalIters = totalIters;
        this.power = power;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * Math.pow(1 - (double) Math.min(totalIters, epoch) / totalIters, power);
    }

    /** PyTorch's chainable step: the current lr times the ratio of this step's decay to the last one's. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        if (epoch == 0 || epoch > totalIters) {
            return lr;
        }
        double decay = Math.pow((1.0 - (double) epoch / totalIters) / (1.0 - (double) (epoch - 1) / totalIters), power);
        return lr * decay;
    }
}
