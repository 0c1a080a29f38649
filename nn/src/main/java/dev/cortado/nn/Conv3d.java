package dev.cortado.nn;

import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.Volumes;

/**
 * {@code nn.Conv3d}: weight (out, in / groups, kD, kH, kW) and bias (out), initialised as PyTorch
 * does, on (N, C, D, H, W) or (C, D, H, W) inputs; settings are (depth, height, width) triples,
 * padding given as numbers or as "same" or "valid", and PyTorch's padding modes ("zeros",
 * "reflect", "replicate", "circular"). <pre>{@code new Conv3d(3, 16, new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, 1, true)}</pre>
 */
public final class Conv3d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    /** PyTorch's string padding ("same" or "valid"), or null when padding holds numbers. */
    private final String paddingName;
    private final PadMode paddingMode;

    public Conv3d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, new int[] {kernel, kernel, kernel}, new int[] {1, 1, 1}, new int[3], new int[] {1, 1, 1}, 1, true);
    }

    public Conv3d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
        this(inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, "zeros");
    }

    /** PyTorch's arguments in PyTorch's order; paddingMode "zeros", "reflect", "replicate" or "circular". */
    public Conv3d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
                  String paddingMode) {
        this(inChannels, outChannels, kernel, stride, padding, null, dilation, groups, bias, paddingMode);
    }

    /** As above, with padding "same" (stride 1 only: the output keeps the input's size) or "valid" (none). */
    public Conv3d(int inChannels, int outChannels, int[] kernel, int[] stride, String padding, int[] dilation, int groups, boolean bias,
                  String paddingMode) {
        this(inChannels, outChannels, kernel, stride, new int[3], padding, dilation, groups, bias, paddingMode);
    }

    private Conv3d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, String paddingName, int[] dilation, int groups,
                   boolean bias, String paddingMode) {
        if (kernel.length != 3 || stride.length != 3 || padding.length != 3 || dilation.length != 3) {
            throw new IllegalArgumentException("Conv3d: kernel size, stride, padding and dilation each take 3 values (depth, height, width)");
        }
        if (paddingName != null && !paddingName.equals("same") && !paddingName.equals("valid")) {
            throw new IllegalArgumentException("Conv3d: invalid padding string '" + paddingName + "', should be one of {'valid', 'same'}");
        }
        if ("same".equals(paddingName) && (stride[0] != 1 || stride[1] != 1 || stride[2] != 1)) {
            throw new IllegalArgumentException("Conv3d: padding='same' is not supported for strided convolutions");
        }
        this.paddingMode = switch (paddingMode) {
            case "zeros" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            case "replicate" -> PadMode.REPLICATE;
            case "circular" -> PadMode.CIRCULAR;
            default -> throw new IllegalArgumentException("Conv3d: padding_mode must be one of {'zeros', 'reflect', 'replicate', "
                    + "'circular'}, but got padding_mode='" + paddingMode + "'");
        };
        this.paddingName = paddingName;
        Tensor[] p = Conv2d.parameters(this, "Conv3d", inChannels, outChannels, groups, false, bias, kernel);
        this.weight = p[0];
        this.bias = p[1];
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = paddingName != null ? Volumes.conv3d(x, weight, bias, stride, paddingName, dilation, groups, paddingMode)
                : Volumes.conv3d(x, weight, bias, stride, padding, dilation, groups, paddingMode);
        return traced(y);
    }

    @Override
    protected String extraRepr() {
        String shownPadding = paddingName != null ? paddingName
                : padding[0] != 0 || padding[1] != 0 || padding[2] != 0 ? Conv2d.tuple(padding) : null;
        return repr(inChannels, outChannels, weight, stride, shownPadding, dilation, null, groups, bias != null, paddingMode);
    }

    /** PyTorch's _ConvNd.extra_repr for the 3-d convolutions; padding and outputPadding null where PyTorch leaves them out. */
    static String repr(int inChannels, int outChannels, Tensor weight, int[] stride, String padding, int[] dilation, int[] outputPadding,
                       int groups, boolean bias, PadMode paddingMode) {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=")
                .append(Conv2d.tuple(weight.size(2), weight.size(3), weight.size(4))).append(", stride=").append(Conv2d.tuple(stride));
        if (padding != null) {
            sb.append(", padding=").append(padding);
        }
        if (dilation[0] != 1 || dilation[1] != 1 || dilation[2] != 1) {
            sb.append(", dilation=").append(Conv2d.tuple(dilation));
        }
        if (outputPadding != null && (outputPadding[0] != 0 || outputPadding[1] != 0 || outputPadding[2] != 0)) {
            sb.append(", output_padding=").append(Conv2d.tuple(outputPadding));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (paddingMode != PadMode.CONSTANT) {
            sb.append(", padding_mode=").append(paddingMode.name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }
}
