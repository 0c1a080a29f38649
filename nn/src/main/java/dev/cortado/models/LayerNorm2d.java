package dev.cortado.models;

import dev.cortado.nn.F;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's {@code LayerNorm2d} (ConvNeXt): layer norm over the channels of each pixel of an
 * (N, C, H, W) tensor, with a weight and bias per channel.
 */
public final class LayerNorm2d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int channels;
    private final double eps;

    public LayerNorm2d(int channels, double eps) {
        this.channels = channels;
        this.eps = eps;
        weight = registerParameter("weight", Tensor.ones(channels));
        bias = registerParameter("bias", Tensor.zeros(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("LayerNorm2d: expected (N, " + channels + ", H, W), got " + Shapes.str(x.shape()));
        }
        return F.layerNorm(x.permute(0, 2, 3, 1), new int[] {channels}, weight, bias, eps).permute(0, 3, 1, 2);
    }
}
