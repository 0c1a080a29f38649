package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AdaptiveAvgPool3d(output_size)} on (N, C, D, H, W) or (C, D, H, W): (outD, outH, outW) cells averaging adaptive boxes. */
public final class AdaptiveAvgPool3d extends AdaptivePoolNd {
    public AdaptiveAvgPool3d(int outputSize) {
        super(3, outputSize);
    }

    public AdaptiveAvgPool3d(int outD, int outH, int outW) {
        super(3, outD, outH, outW);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.adaptiveAvgPool3d(x, outputSize[0], outputSize[1], outputSize[2]));
    }
}
