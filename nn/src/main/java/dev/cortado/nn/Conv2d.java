package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Conv2d}: weight (out, in / groups, kH, kW) and bias (out), initialised as PyTorch does.
 * <pre>{@code new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1))}</pre>
 */
public final class Conv2d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
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
        Tensor[] p = parameters(this, "Conv2d", inChannels, outChannels, options.groups(), false, bias, kernelH, kernelW);
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
        return traced(F.conv2d(x, weight, bias, options));
    }

    @Override
    protected String extraRepr() {
        return repr(inChannels, outChannels, weight, options, "", bias != null);
    }

    /**
     * Checks a convolution layer's sizes (name in the message), then registers its weight ((out,
     * in / groups, *kernel), or (in, out / groups, *kernel) when transposed) and bias, with
     * PyTorch's default init; returns {weight, bias (null without one)}.
     */
    static Tensor[] parameters(Module layer, String name, int inChannels, int outChannels, int groups, boolean transposed, boolean bias,
                               int... kernel) {
        checkLayer(name, inChannels, outChannels, groups, kernel);
        int[] shape = new int[2 + kernel.length];
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(kernel, 0, shape, 2, kernel.length);
        Tensor weight = layer.registerParameter("weight", Tensor.zeros(shape));
        Tensor b = bias ? layer.registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(weight, b);
        return new Tensor[] {weight, b};
    }

    private static void checkLayer(String name, int inChannels, int outChannels, int groups, int... kernel) {
        boolean positive = inChannels > 0 && outChannels > 0;
        for (int k : kernel) {
            positive &= k > 0;
        }
        if (!positive) {
            throw new IllegalArgumentException(name + ": channels and kernel size must be positive, got in=" + inChannels + ", out="
                    + outChannels + ", kernel=" + tuple(kernel));
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(name + ": groups " + groups + " must divide in_channels " + inChannels + " and out_channels "
                    + outChannels);
        }
    }

    /**
     * PyTorch's repr of a convolution layer, 1-d or 2-d by the weight's rank: channels, kernel
     * (from the weight's trailing dims), stride, then only what differs from the defaults;
     * afterPadding (a transposed convolution's output_padding) goes right after the padding, as
     * PyTorch prints it.
     */
    static String repr(int inChannels, int outChannels, Tensor weight, ConvOptions o, String afterPadding, boolean bias) {
        boolean flat = weight.dim() == 3;
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=")
                .append(flat ? tuple(weight.size(2)) : tuple(weight.size(2), weight.size(3))).append(", stride=")
                .append(flat ? tuple(o.strideW()) : tuple(o.strideH(), o.strideW()));
        if (o.same()) {
            sb.append(", padding=same");
        } else if (o.padH() != 0 || o.padW() != 0) {
            sb.append(", padding=").append(flat ? tuple(o.padW()) : tuple(o.padH(), o.padW()));
        }
        sb.append(afterPadding);
        if (o.dilationH() != 1 || o.dilationW() != 1) {
            sb.append(", dilation=").append(flat ? tuple(o.dilationW()) : tuple(o.dilationH(), o.dilationW()));
        }
        if (o.groups() != 1) {
            sb.append(", groups=").append(o.groups());
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (o.paddingMode() != PadMode.CONSTANT) {
            sb.append(", padding_mode=").append(o.paddingMode().name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /** A Python tuple as PyTorch prints sizes: {@code (3,)} or {@code (3, 3)}. */
    static String tuple(int... values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i > 0 ? ", " : "").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }
}
