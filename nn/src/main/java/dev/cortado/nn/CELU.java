package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.CELU(alpha=1.0)}: alpha (exp(x / alpha) - 1) at and below 0, x above. */
public final class CELU extends Module {
    private final double alpha;

    public CELU() {
        this(1.0);
    }

    public CELU(double alpha) {
        if (alpha == 0) {
            throw new IllegalArgumentException("CELU: alpha must not be 0");
        }
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.celu(x, alpha));
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + Py.floatRepr(alpha);
    }
}
