package dev.cortado.nn;

/** {@code nn.MaxUnpool3d(kernel_size, stride=kernel_size, padding=0)}: {@link F#maxUnpool3d} as a layer, for {@link MaxPool3d#forwardWithIndices}. */
public final class MaxUnpool3d extends MaxUnpoolNd {
    public MaxUnpool3d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxUnpool3d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel, kernel}, new int[] {stride, stride, stride}, new int[] {padding, padding, padding});
    }

    /** (D, H, W) triples. */
    public MaxUnpool3d(int[] kernel, int[] stride, int[] padding) {
        super(kernel, stride, padding);
    }
}
