package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.ConvTranspose2d}: weight (in, out / groups, kH, kW) and bias (out), initialised as
 * PyTorch does (its fan-in comes from the weight's second dim, as in PyTorch).
 * <pre>{@code new ConvTranspose2d(16, 8, 4, ConvOptions.DEFAULT.stride(2).padding(1), 0)   // doubles H and W}</pre>
 */
public final class ConvTranspose2d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final ConvOptions options;
    private final int outputPaddingH;
    private final int outputPaddingW;

    public ConvTranspose2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, ConvOptions.DEFAULT, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, ConvOptions options, int outputPadding) {
        this(inChannels, outChannels, kernel, kernel, options, outputPadding, outputPadding, true);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvOptions options, int outputPaddingH,
                           int outputPaddingW, boolean bias) {
        Tensor[] p = Conv2d.parameters(this, "ConvTranspose2d", inChannels, outChannels, options.groups(), true, bias, kernelH, kernelW);
        this.weight = p[0];
        this.bias = p[1];
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.outputPaddingH = outputPaddingH;
        this.outputPaddingW = outputPaddingW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.convTranspose2d(x, weight, bias, options, outputPaddingH, outputPaddingW));
    }

    @Override
    protected String extraRepr() {
        String outputPadding = outputPaddingH != 0 || outputPaddingW != 0 ? ", output_padding=" + Conv2d.tuple(outputPaddingH, outputPaddingW) : "";
        return Conv2d.repr(inChannels, outChannels, weight, options, outputPadding, bias != null);
    }
}
