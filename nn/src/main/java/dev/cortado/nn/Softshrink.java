package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Softshrink(lambd=0.5)}: x moved lambd towards 0, and 0 on [-lambd, lambd]. */
public final class Softshrink extends Module {
    private final double lambd;

    public Softshrink() {
        this(0.5);
    }

    public Softshrink(double lambd) {
        if (!(lambd >= 0)) {
            throw new IllegalArgumentException("Softshrink: lambda must be greater or equal to 0, but found to be " + lambd);
        }
        this.lambd = lambd;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.softshrink(x, lambd));
    }

    @Override
    protected String extraRepr() {
        return Py.floatRepr(lambd);
    }
}
