package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/**
 * {@code nn.LazyConv2d(out_channels, kernel_size, ...)}: a {@link Conv2d} whose in_channels is
 * the channel dim of its first input, (N, C, H, W) or (C, H, W). Until then its weight is (out, 0,
 * kH, kW); afterwards it is a Conv2d in every way, its repr included.
 */
public final class LazyConv2d extends Module implements LazyModule {
    public final Tensor weight;
    public final Tensor bias;
    private final int outChannels;
    private final ConvOptions options;
    private int inChannels;

    public LazyConv2d(int outChannels, int kernel) {
        this(outChannels, kernel, kernel, ConvOptions.DEFAULT, true);
    }

    public LazyConv2d(int outChannels, int kernel, ConvOptions options) {
        this(outChannels, kernel, kernel, options, true);
    }

    public LazyConv2d(int outChannels, int kernelH, int kernelW, ConvOptions options, boolean bias) {
        if (outChannels <= 0 || kernelH <= 0 || kernelW <= 0 || options.groups() <= 0 || outChannels % options.groups() != 0) {
            throw new IllegalArgumentException("LazyConv2d: out_channels and kernel size must be positive and groups (" + options.groups()
                    + ") must divide out_channels, got out=" + outChannels + ", kernel=(" + kernelH + ", " + kernelW + ")");
        }
        this.outChannels = outChannels;
        this.options = options;
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, 0, kernelH, kernelW));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(0)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!materialized()) {
            if (x.dim() != 3 && x.dim() != 4) {
                throw new IllegalArgumentException("LazyConv2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input to infer in_channels, got "
                        + Shapes.str(x.shape()));
            }
            materialize(x.size(x.dim() - 3));
        }
        return traced(F.conv2d(x, weight, bias, options));
    }

    @Override
    public boolean materialized() {
        return inChannels > 0;
    }

    @Override
    public void materialize(Map<String, Tensor> ownState) {
        Tensor w = LazyModule.entry("LazyConv2d", ownState, "weight");
        if (w.dim() != 4 || w.size(0) != outChannels || w.size(2) != weight.size(2) || w.size(3) != weight.size(3)) {
            throw new IllegalArgumentException("LazyConv2d: weight " + Shapes.str(w.shape()) + " in the state dict does not fit (" + outChannels
                    + ", in_channels / groups, " + weight.size(2) + ", " + weight.size(3) + ")");
        }
        materialize(w.size(1) * options.groups());
    }

    /** Creates the weight and bias as {@code Conv2d(in, out, ...)} would, drawing from the default generator now. */
    private void materialize(int in) {
        Conv2d real = new Conv2d(in, outChannels, weight.size(2), weight.size(3), options, bias != null);
        LazyModule.fill(new Tensor[] {weight, bias}, new Tensor[] {real.weight, real.bias});
        inChannels = in;
    }

    @Override
    public String toString() {
        return (materialized() ? "Conv2d" : "LazyConv2d") + "(" + Conv2d.repr(inChannels, outChannels, weight, options, "", bias != null) + ")";
    }
}
