package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(x.softmax(dim));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
