package dev.cortado.optim;

import java.util.function.IntToDoubleFunction;

/**
 * {@code MultiplicativeLR(optimizer, lr_lambda)}: each step multiplies the lr by
 * {@code factor(step)}, so step t has the initial lr times {@code factor(1) ⋯ factor(t)}. The
 * product is kept from the initial lr, not from whatever lr the group holds, so another scheduler
 * stepping the same optimizer does not compound with it (PyTorch's would).
 */
public final class MultiplicativeLR extends LRScheduler {
    private final IntToDoubleFunction factor;
    private int productEpoch;
    private double product = 1;

    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction factor) {
        super(optimizer);
        this.factor = factor;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        if (epoch < productEpoch) {
            productEpoch = 0;
            product = 1;
        }
        // One factor per step when stepped in order; from the start again after a state dict moved back.
        while (productEpoch < epoch) {
            productEpoch++;
            product *= factor.applyAsDouble(productEpoch);
        }
        return baseLr * product;
    }

    /** PyTorch's step: the current lr times this step's factor. */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        return epoch > 0 ? lr * factor.applyAsDouble(epoch) : lr;
    }

    /** At a SequentialLR milestone the lr stays where it is, as PyTorch's {@code step(0)} leaves it. */
    @Override
    protected double restartLr(double lr, double baseLr) {
        return lr;
    }
}
