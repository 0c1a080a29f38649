package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LeakyReLU(negative_slope=0.01)}. */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(x.leakyRelu(negativeSlope));
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + Py.floatRepr(negativeSlope);
    }
}
