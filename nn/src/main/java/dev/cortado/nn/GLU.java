package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.GLU(dim=-1)}: the gated linear unit a · sigmoid(b), a and b the two halves of x along dim. */
public final class GLU extends Module {
    private final int dim;

    public GLU() {
        this(-1);
    }

    public GLU(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.glu(x, dim));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
