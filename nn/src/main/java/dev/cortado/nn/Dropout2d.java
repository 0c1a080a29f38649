package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout2d(p=0.5)}: zeroes whole channels, in training mode only. */
public final class Dropout2d extends Module {
    private final double p;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout2d: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout2d(x, p, isTraining()));
    }

    @Override
    protected String extraRepr() {
        return "p=" + Py.floatRepr(p) + ", inplace=False";
    }
}
