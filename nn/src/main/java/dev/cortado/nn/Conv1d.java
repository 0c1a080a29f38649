package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Conv1d}: weight (out, in / groups, k) and bias (out), initialised as PyTorch does; on
 * (N, C, L) or (C, L) inputs. The options' single-value forms give its one stride, padding and
 * dilation: <pre>{@code new Conv1d(16, 32, 5, ConvOptions.DEFAULT.padding(2))}</pre>
 */
public final class Conv1d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final ConvOptions options;

    public Conv1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, ConvOptions.DEFAULT, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernel, ConvOptions options) {
        this(inChannels, outChannels, kernel, options, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernel, ConvOptions options, boolean bias) {
        Tensor[] p = Conv2d.parameters(this, "Conv1d", inChannels, outChannels, options.groups(), false, bias, kernel);
        this.weight = p[0];
        this.bias = p[1];
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
    }

    public ConvOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.conv1d(x, weight, bias, options));
    }

    @Override
    protected String extraRepr() {
        return Conv2d.repr(inChannels, outChannels, weight, options, "", bias != null);
    }
}
