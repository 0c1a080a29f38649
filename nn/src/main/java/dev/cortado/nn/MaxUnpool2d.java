package dev.cortado.nn;

/** {@code nn.MaxUnpool2d(kernel_size, stride=kernel_size, padding=0)}: {@link F#maxUnpool2d} as a layer, for {@link MaxPool2d#forwardWithIndices}. */
public final class MaxUnpool2d extends MaxUnpoolNd {
    public MaxUnpool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxUnpool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** (H, W) pairs. */
    public MaxUnpool2d(int[] kernel, int[] stride, int[] padding) {
        super(kernel, stride, padding);
    }
}
