package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.ELU(alpha=1.0)}: x above 0, alpha (exp(x) - 1) at and below. */
public final class ELU extends Module {
    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.elu(x, alpha));
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + Py.floatRepr(alpha);
    }
}
