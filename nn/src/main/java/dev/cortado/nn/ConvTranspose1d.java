package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.ConvTranspose1d}: weight (in, out / groups, k) and bias (out), initialised as PyTorch
 * does; on (N, C, L) or (C, L) inputs.
 * <pre>{@code new ConvTranspose1d(16, 8, 4, ConvOptions.DEFAULT.stride(2).padding(1), 0)   // doubles L}</pre>
 */
public final class ConvTranspose1d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final ConvOptions options;
    private final int outputPadding;

    public ConvTranspose1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, ConvOptions.DEFAULT, 0, true);
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernel, ConvOptions options, int outputPadding) {
        this(inChannels, outChannels, kernel, options, outputPadding, true);
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernel, ConvOptions options, int outputPadding, boolean bias) {
        Tensor[] p = Conv2d.parameters(this, "ConvTranspose1d", inChannels, outChannels, options.groups(), true, bias, kernel);
        this.weight = p[0];
        this.bias = p[1];
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.outputPadding = outputPadding;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.convTranspose1d(x, weight, bias, options, outputPadding));
    }

    @Override
    protected String extraRepr() {
        return Conv2d.repr(inChannels, outChannels, weight, options, outputPadding != 0 ? ", output_padding=" + Conv2d.tuple(outputPadding) : "",
                bias != null);
    }
}
