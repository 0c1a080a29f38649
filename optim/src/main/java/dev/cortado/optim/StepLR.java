package dev.cortado.optim;

/** {@code StepLR(optimizer, step_size, gamma=0.1)}: multiplies the lr by gamma every {@code stepSize} steps. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }

    /** PyTorch's chainable step: gamma times the current lr at each multiple of step_size. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        return epoch == 0 || epoch % stepSize != 0 ? lr : lr * gamma;
    }
}
