package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.RReLU(lower=1/8, upper=1/3)}: in training, each element at or below 0 is multiplied
 * by its own slope drawn uniformly from [lower, upper] (from the default generator); in eval, by
 * their mean, as a leaky ReLU.
 */
public final class RReLU extends Module {
    private final double lower;
    private final double upper;

    public RReLU() {
        this(1.0 / 8, 1.0 / 3);
    }

    public RReLU(double lower, double upper) {
        F.checkRreluBounds(lower, upper);
        this.lower = lower;
        this.upper = upper;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.rrelu(x, lower, upper, isTraining()));
    }

    @Override
    protected String extraRepr() {
        return "lower=" + Py.floatRepr(lower) + ", upper=" + Py.floatRepr(upper);
    }
}
