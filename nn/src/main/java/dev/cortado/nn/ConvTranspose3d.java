package dev.cortado.nn;

import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.ConvTranspose3d}: weight (in, out / groups, kD, kH, kW) and bias (out), initialised as
 * PyTorch does (fan-in from the weight's second dim), on (N, C, D, H, W) or (C, D, H, W) inputs;
 * settings are (depth, height, width) triples, zero padding.
 * <pre>{@code new ConvTranspose3d(16, 8, new int[] {4, 4, 4}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[3], 1, true, new int[] {1, 1, 1})   // doubles D, H and W}</pre>
 */
public final class ConvTranspose3d extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inChannels;
    private final int outChannels;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int groups;
    private final int[] dilation;

    public ConvTranspose3d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, new int[] {kernel, kernel, kernel}, new int[] {1, 1, 1}, new int[3], new int[3], 1, true, new int[] {1, 1, 1});
    }

    /** PyTorch's arguments in PyTorch's order. */
    public ConvTranspose3d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] outputPadding, int groups,
                           boolean bias, int[] dilation) {
        if (kernel.length != 3 || stride.length != 3 || padding.length != 3 || outputPadding.length != 3 || dilation.length != 3) {
            throw new IllegalArgumentException("ConvTranspose3d: kernel size, stride, padding, output padding and dilation each take 3 values "
                    + "(depth, height, width)");
        }
        Tensor[] p = Conv2d.parameters(this, "ConvTranspose3d", inChannels, outChannels, groups, true, bias, kernel);
        this.weight = p[0];
        this.bias = p[1];
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.groups = groups;
        this.dilation = dilation.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.convTranspose3d(x, weight, bias, stride, padding, outputPadding, groups, dilation));
    }

    @Override
    protected String extraRepr() {
        String shownPadding = padding[0] != 0 || padding[1] != 0 || padding[2] != 0 ? Conv2d.tuple(padding) : null;
        return Conv3d.repr(inChannels, outChannels, weight, stride, shownPadding, dilation, outputPadding, groups, bias != null, PadMode.CONSTANT);
    }
}
