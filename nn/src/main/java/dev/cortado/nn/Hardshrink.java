package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Hardshrink(lambd=0.5)}: 0 on [-lambd, lambd], x elsewhere. */
public final class Hardshrink extends Module {
    private final double lambd;

    public Hardshrink() {
        this(0.5);
    }

    public Hardshrink(double lambd) {
        this.lambd = lambd;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.hardshrink(x, lambd));
    }

    @Override
    protected String extraRepr() {
        return Py.floatRepr(lambd);
    }
}
