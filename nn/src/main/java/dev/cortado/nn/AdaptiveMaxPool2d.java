package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveMaxPool2d(output_size)}: (outH, outW) cells, each its adaptive window's maximum; 1 is global max pooling. */
public final class AdaptiveMaxPool2d extends AdaptivePoolNd {
    public AdaptiveMaxPool2d(int outputSize) {
        super(2, outputSize);
    }

    public AdaptiveMaxPool2d(int outH, int outW) {
        super(2, outH, outW);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveMaxPool2d(x, outputSize[0], outputSize[1]));
    }
}
