package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveAvgPool1d(size)} on (N, C, L) or (C, L) inputs; size 1 is global average pooling. */
public final class AdaptiveAvgPool1d extends Module {
    private final int size;

    public AdaptiveAvgPool1d(int size) {
        this.size = size;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveAvgPool1d(x, size));
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + size;
    }
}
