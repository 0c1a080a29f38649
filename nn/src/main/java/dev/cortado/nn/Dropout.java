package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout(p=0.5)}: active in training mode only. */
public final class Dropout extends Module {
    private final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout(x, p, isTraining()));
    }

    @Override
    protected String extraRepr() {
        return "p=" + Py.floatRepr(p) + ", inplace=False";
    }
}
