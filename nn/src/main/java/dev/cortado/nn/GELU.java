package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.GELU(approximate='none')}: x Φ(x) through erf, or with {@code "tanh"} its tanh approximation. */
public final class GELU extends Module {
    private final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.gelu(x, approximate));
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
