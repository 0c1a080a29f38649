package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AvgPool3d(kernel, stride=kernel, padding=0, ceil_mode=False, count_include_pad=True)} on (N, C, D, H, W) or (C, D, H, W) inputs. */
public final class AvgPool3d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool3d(int kernel) {
        this(kernel, kernel, 0, false, true);
    }

    public AvgPool3d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.avgPool3d(x, MaxPool3d.cube(kernel), MaxPool3d.cube(stride), MaxPool3d.cube(padding), ceilMode, countIncludePad));
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding;
    }
}
