package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LogSoftmax(dim)}: log of the softmax along dim, computed stably in one step. */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(x.logSoftmax(dim));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
