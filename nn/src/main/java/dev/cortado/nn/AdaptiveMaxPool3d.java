package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveMaxPool3d(output_size)} on (N, C, D, H, W) or (C, D, H, W): (outD, outH, outW) cells, each its adaptive box's maximum. */
public final class AdaptiveMaxPool3d extends AdaptivePoolNd {
    public AdaptiveMaxPool3d(int outputSize) {
        super(3, outputSize);
    }

    public AdaptiveMaxPool3d(int outD, int outH, int outW) {
        super(3, outD, outH, outW);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveMaxPool3d(x, outputSize[0], outputSize[1], outputSize[2]));
    }
}
