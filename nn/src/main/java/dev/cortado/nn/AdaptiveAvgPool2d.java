package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveAvgPool2d(output_size)}: (outH, outW) cells averaging adaptive windows; 1 is global average pooling. */
public final class AdaptiveAvgPool2d extends AdaptivePoolNd {
    public AdaptiveAvgPool2d(int outputSize) {
        super(2, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        super(2, outH, outW);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveAvgPool2d(x, outputSize[0], outputSize[1]));
    }
}
