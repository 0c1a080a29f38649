package dev.cortado.nn;

/** {@code nn.MaxUnpool1d(kernel_size, stride=kernel_size, padding=0)}: {@link F#maxUnpool1d} as a layer, for {@link MaxPool1d#forwardWithIndices}. */
public final class MaxUnpool1d extends MaxUnpoolNd {
    public MaxUnpool1d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxUnpool1d(int kernel, int stride, int padding) {
        super(new int[] {kernel}, new int[] {stride}, new int[] {padding});
    }
}
