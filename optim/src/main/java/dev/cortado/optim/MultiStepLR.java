package dev.cortado.optim;

import java.util.Arrays;

/** {@code MultiStepLR(optimizer, milestones, gamma=0.1)}: multiplies the lr by gamma at each milestone step. */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        int passed = 0;
        for (int m : milestones) {
            if (epoch >= m) {
                passed++;
            }
        }
        return baseLr * Math.pow(gamma, passed);
    }

    /** PyTorch's chainable step: gamma times the current lr at a milestone (gamma^k for a milestone given k times). */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        int times = 0;
        for (int m : milestones) {
            times += m == epoch ? 1 : 0;
        }
        return times == 0 ? lr : lr * Math.pow(gamma, times);
    }
}
