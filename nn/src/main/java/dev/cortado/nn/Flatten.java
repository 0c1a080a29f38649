package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Flatten(start_dim=1, end_dim=-1)}: keeps the batch dim by default. */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(x.flatten(startDim, endDim));
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
