package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveMaxPool1d(size)} on (N, C, L) or (C, L) inputs; size 1 is global max pooling. */
public final class AdaptiveMaxPool1d extends Module {
    private final int size;

    public AdaptiveMaxPool1d(int size) {
        this.size = size;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveMaxPool1d(x, size));
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + size;
    }
}
