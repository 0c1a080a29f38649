package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Unfold}: {@link F#unfold} with fixed (height, width) kernel size, dilation, padding and stride. */
public final class Unfold extends Module {
    private final int[] kernelSize;
    private final int[] dilation;
    private final int[] padding;
    private final int[] stride;

    public Unfold(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
    }

    public Unfold(int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.unfold(x, kernelSize, dilation, padding, stride));
    }

    @Override
    protected String extraRepr() {
        return Fold.geometry(kernelSize, dilation, padding, stride);
    }
}
