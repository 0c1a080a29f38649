package dev.cortado.nn;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;

/** {@code nn.MaxPool2d(kernel, stride=kernel, padding=0, dilation=1, ceil_mode=False)}. */
public final class MaxPool2d extends Module {
    private final PoolOptions options;

    public MaxPool2d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this(PoolOptions.of(kernel).stride(stride).padding(padding));
    }

    public MaxPool2d(PoolOptions options) {
        this.options = options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.maxPool2d(x, options));
    }

    /**
     * PyTorch's {@code return_indices=True}: the pooled input and, for each maximum, its position in
     * its input plane, as {@link MaxUnpool2d} takes them.
     */
    public ValuesIndices forwardWithIndices(Tensor x) {
        ValuesIndices r = F.maxPool2dWithIndices(x, options);
        traced(r.values());
        return r;
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }

    @Override
    protected String extraRepr() {
        PoolOptions o = options;
        return "kernel_size=" + o.kernelH() + ", stride=" + o.strideH() + ", padding=" + o.padH() + ", dilation=" + o.dilationH() + ", ceil_mode=" + py(o.ceilMode());
    }
}
