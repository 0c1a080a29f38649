package dev.cortado.optim;

import java.util.function.IntToDoubleFunction;

/** {@code LambdaLR(optimizer, lr_lambda)}: the initial lr times {@code factor(step)}. */
public final class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction factor;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        super(optimizer);
        this.factor = factor;
        apply();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return baseLr * factor.applyAsDouble(epoch);
    }
}
