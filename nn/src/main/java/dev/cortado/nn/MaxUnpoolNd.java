package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * What the max-unpooling layers share, as PyTorch's {@code _MaxUnpoolNd}: the window settings, the
 * two-input forward and the repr.
 */
public abstract class MaxUnpoolNd extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    MaxUnpoolNd(int[] kernel, int[] stride, int[] padding) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
    }

    /** Takes the pooling's indices too; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public final Tensor forward(Tensor x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + ": takes the input and the pooling's indices; call forward(x, indices)");
    }

    /** The unpooled input, of the default output size. */
    public final Tensor forward(Tensor x, Tensor indices) {
        return forward(x, indices, null);
    }

    /**
     * The unpooled input, of {@code outputSize} (the spatial sizes, or with N and C before them):
     * the pooled input's size, where several sizes pool to the same one.
     */
    public final Tensor forward(Tensor x, Tensor indices, int[] outputSize) {
        return traced(Unpooling.maxUnpool(kernel.length, x, indices, kernel, stride, padding, outputSize));
    }

    @Override
    protected final String extraRepr() {
        return "kernel_size=" + Shapes.str(kernel) + ", stride=" + Shapes.str(stride) + ", padding=" + Shapes.str(padding);
    }
}
