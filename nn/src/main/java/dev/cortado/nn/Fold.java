package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Fold}: {@link F#fold} into a fixed output size, with fixed kernel size, dilation, padding and stride. */
public final class Fold extends Module {
    private final int[] outputSize;
    private final int[] kernelSize;
    private final int[] dilation;
    private final int[] padding;
    private final int[] stride;

    public Fold(int[] outputSize, int kernelSize) {
        this(outputSize, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
    }

    public Fold(int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        this.outputSize = outputSize.clone();
        this.kernelSize = kernelSize.clone();
        this.dilation = dilation.clone();
        this.padding = padding.clone();
        this.stride = stride.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.fold(x, outputSize, kernelSize, dilation, padding, stride));
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + pair(outputSize) + ", " + geometry(kernelSize, dilation, padding, stride);
    }

    /** PyTorch's repr of the four parameters: one number where height and width agree, else a pair. */
    static String geometry(int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return "kernel_size=" + pair(kernelSize) + ", dilation=" + pair(dilation) + ", padding=" + pair(padding) + ", stride=" + pair(stride);
    }

    private static String pair(int[] v) {
        return v.length == 2 && v[0] == v[1] ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }
}
