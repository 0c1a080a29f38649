package dev.cortado.optim;

/** {@code ExponentialLR(optimizer, gamma)}: multiplies the lr by gamma every step. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * Math.pow(gamma, epoch);
    }

    /** PyTorch's chainable step: gamma times the current lr. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        return epoch == 0 ? lr : lr * gamma;
    }
}
