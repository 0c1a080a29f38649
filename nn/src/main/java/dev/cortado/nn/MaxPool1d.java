package dev.cortado.nn;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;

/** {@code nn.MaxPool1d(kernel, stride=kernel, padding=0, dilation=1, ceil_mode=False)} on (N, C, L) or (C, L) inputs. */
public final class MaxPool1d extends Module {
    private final PoolOptions options;

    public MaxPool1d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public MaxPool1d(int kernel, int stride, int padding) {
        this(PoolOptions.of(kernel).stride(stride).padding(padding));
    }

    public MaxPool1d(PoolOptions options) {
        this.options = options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.maxPool1d(x, options));
    }

    /**
     * PyTorch's {@code return_indices=True}: the pooled input and, for each maximum, its position in
     * its input plane, as {@link MaxUnpool1d} takes them.
     */
    public ValuesIndices forwardWithIndices(Tensor x) {
        ValuesIndices r = F.maxPool1dWithIndices(x, options);
        traced(r.values());
        return r;
    }

    @Override
    protected String extraRepr() {
        PoolOptions o = options;
        return "kernel_size=" + o.kernelW() + ", stride=" + o.strideW() + ", padding=" + o.padW() + ", dilation=" + o.dilationW()
                + ", ceil_mode=" + (o.ceilMode() ? "True" : "False");
    }
}
