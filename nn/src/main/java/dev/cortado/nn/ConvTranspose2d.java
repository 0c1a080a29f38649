package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.ConvTranspose2d}: weight (in, out / groups, kH, kW) and bias (out), initialised as
 * PyTorch does (its fan-in comes from the weight's second dim, as in PyTorch).
 * <pre>{@code new ConvTranspose2d(16, 8, 4, ConvOptions.DEFAULT.stride(2).padding(1), 0)   // doubles H and W}</pre>
 */
public final class ConvTranspose2d extends Module {
    public final Tensor weight;
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
        int g = options.groups();
        if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels and kernel size must be positive, got in=" + inChannels + ", out="
                    + outChannels + ", kernel=(" + kernelH + ", " + kernelW + ")");
        }
        if (g <= 0 || inChannels % g != 0 || outChannels % g != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: groups " + g + " must divide in_channels " + inChannels + " and out_channels "
                    + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.outputPaddingH = outputPaddingH;
        this.outputPaddingW = outputPaddingW;
        this.weight = registerParameter("weight", Tensor.zeros(inChannels, outChannels / g, kernelH, kernelW));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(weight, this.bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.convTranspose2d(x, weight, bias, options, outputPaddingH, outputPaddingW));
    }

    @Override
    protected String extraRepr() {
        ConvOptions o = options;
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=(")
                .append(weight.size(2)).append(", ").append(weight.size(3)).append("), stride=(").append(o.strideH()).append(", ")
                .append(o.strideW()).append(')');
        if (o.padH() != 0 || o.padW() != 0) {
            sb.append(", padding=(").append(o.padH()).append(", ").append(o.padW()).append(')');
        }
        if (outputPaddingH != 0 || outputPaddingW != 0) {
            sb.append(", output_padding=(").append(outputPaddingH).append(", ").append(outputPaddingW).append(')');
        }
        if (o.dilationH() != 1 || o.dilationW() != 1) {
            sb.append(", dilation=(").append(o.dilationH()).append(", ").append(o.dilationW()).append(')');
        }
        if (o.groups() != 1) {
            sb.append(", groups=").append(o.groups());
        }
        if (bias == null) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }
}
