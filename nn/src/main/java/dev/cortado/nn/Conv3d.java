package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Conv3d}: weight (out, in / groups, kD, kH, kW) and bias (out), initialised as PyTorch
 * does, on (N, C, D, H, W) or (C, D, H, W) inputs; settings are (depth, height, width) triples,
 * zero padding. <pre>{@code new Conv3d(3, 16, new int[] {3, 3, 3}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, 1, true)}</pre>
 */
public final class Conv3d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;

    public Conv3d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, new int[] {kernel, kernel, kernel}, new int[] {1, 1, 1}, new int[3], new int[] {1, 1, 1}, 1, true);
    }

    public Conv3d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
        if (kernel.length != 3 || stride.length != 3 || padding.length != 3 || dilation.length != 3) {
            throw new IllegalArgumentException("Conv3d: kernel size, stride, padding and dilation each take 3 values (depth, height, width)");
        }
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
        return traced(F.conv3d(x, weight, bias, stride, padding, dilation, groups));
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=")
                .append(Conv2d.tuple(weight.size(2), weight.size(3), weight.size(4))).append(", stride=").append(Conv2d.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0 || padding[2] != 0) {
            sb.append(", padding=").append(Conv2d.tuple(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1 || dilation[2] != 1) {
            sb.append(", dilation=").append(Conv2d.tuple(dilation));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        return bias == null ? sb.append(", bias=False").toString() : sb.toString();
    }
}
