package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Conv2d}: weight (out, in / groups, kH, kW) and bias (out), initialised as PyTorch does.
 * <pre>{@code new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1))}</pre>
 */
public final class Conv2d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final ConvOptions options;

    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, ConvOptions.DEFAULT, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, ConvOptions options) {
        this(inChannels, outChannels, kernel, kernel, options, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, ConvOptions options, boolean bias) {
        int g = options.groups();
        checkLayer("Conv2d", inChannels, outChannels, kernelH, kernelW, g);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / g, kernelH, kernelW));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(weight, this.bias);
    }

    public ConvOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.conv2d(x, weight, bias, options));
    }

    @Override
    protected String extraRepr() {
        String repr = repr(inChannels, outChannels, weight, options, "", bias != null);
        return options.paddingMode() == PadMode.CONSTANT ? repr
                : repr + ", padding_mode=" + options.paddingMode().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The checks nn.Conv2d and nn.ConvTranspose2d share, with name in the message. */
    static void checkLayer(String name, int inChannels, int outChannels, int kernelH, int kernelW, int groups) {
        if (inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException(name + ": channels and kernel size must be positive, got in=" + inChannels + ", out="
                    + outChannels + ", kernel=(" + kernelH + ", " + kernelW + ")");
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": groups " + groups + " must divide in_channels " + inChannels + " and out_channels "
                    + outChannels);
        }
    }

    /**
     * PyTorch's repr of a convolution layer: channels, kernel (from the weight's last two dims),
     * stride, then only what differs from the defaults; afterPadding (a transposed convolution's
     * output_padding) goes right after the padding, as PyTorch prints it.
     */
    static String repr(int inChannels, int outChannels, Tensor weight, ConvOptions o, String afterPadding, boolean bias) {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=(")
                .append(weight.size(2)).append(", ").append(weight.size(3)).append("), stride=(").append(o.strideH()).append(", ")
                .append(o.strideW()).append(')');
        if (o.same()) {
            sb.append(", padding=same");
        } else if (o.padH() != 0 || o.padW() != 0) {
            sb.append(", padding=(").append(o.padH()).append(", ").append(o.padW()).append(')');
        }
        sb.append(afterPadding);
        if (o.dilationH() != 1 || o.dilationW() != 1) {
            sb.append(", dilation=(").append(o.dilationH()).append(", ").append(o.dilationW()).append(')');
        }
        if (o.groups() != 1) {
            sb.append(", groups=").append(o.groups());
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        return sb.toString();
    }
}
