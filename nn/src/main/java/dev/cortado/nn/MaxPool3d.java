package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;

/** {@code nn.MaxPool3d(kernel, stride=kernel, padding=0, dilation=1, ceil_mode=False)} on (N, C, D, H, W) or (C, D, H, W) inputs. */
public final class MaxPool3d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    public MaxPool3d(int kernel) {
        this(kernel, kernel, 0, 1, false);
    }

    public MaxPool3d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.maxPool3d(x, cube(kernel), cube(stride), cube(padding), cube(dilation), ceilMode));
    }

    /**
     * PyTorch's {@code return_indices=True}: the pooled input and, for each maximum, its position in
     * its input plane, as {@link MaxUnpool3d} takes them.
     */
    public ValuesIndices forwardWithIndices(Tensor x) {
        ValuesIndices r = F.maxPool3dWithIndices(x, cube(kernel), cube(stride), cube(padding), cube(dilation), ceilMode);
        traced(r.values());
        return r;
    }

    static int[] cube(int v) {
        return new int[] {v, v, v};
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation + ", ceil_mode="
                + (ceilMode ? "True" : "False");
    }
}
