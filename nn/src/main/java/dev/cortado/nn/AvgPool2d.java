package dev.cortado.nn;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;

/** {@code nn.AvgPool2d(kernel, stride=kernel, padding=0, ceil_mode=False, count_include_pad=True)}. */
public final class AvgPool2d extends Module {
    private final PoolOptions options;

    public AvgPool2d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public AvgPool2d(int kernel, int stride, int padding) {
        this(PoolOptions.of(kernel).stride(stride).padding(padding));
    }

    public AvgPool2d(PoolOptions options) {
        this.options = options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.avgPool2d(x, options));
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }

    @Override
    protected String extraRepr() {
        PoolOptions o = options;
        return "kernel_size=" + o.kernelH() + ", stride=" + o.strideH() + ", padding=" + o.padH() + ", ceil_mode=" + py(o.ceilMode()) + ", count_include_pad=" + py(o.countIncludePad());
    }
}
