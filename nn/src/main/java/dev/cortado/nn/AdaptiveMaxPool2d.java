package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveMaxPool2d((outH, outW))}; (1, 1) is global max pooling. */
public final class AdaptiveMaxPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveMaxPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveMaxPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveMaxPool2d(x, outH, outW));
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
