package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Softmin(dim)}: softmax of -x along dim. */
public final class Softmin extends Module {
    private final int dim;

    public Softmin(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.softmin(x, dim));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
