package dev.cortado.nn;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;

/** {@code nn.AvgPool1d(kernel, stride=kernel, padding=0, ceil_mode=False, count_include_pad=True)} on (N, C, L) or (C, L) inputs. */
public final class AvgPool1d extends Module {
    private final PoolOptions options;

    public AvgPool1d(int kernel) {
        this(PoolOptions.of(kernel));
    }

    public AvgPool1d(int kernel, int stride, int padding) {
        this(PoolOptions.of(kernel).stride(stride).padding(padding));
    }

    public AvgPool1d(PoolOptions options) {
        this.options = options;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.avgPool1d(x, options));
    }

    /** As PyTorch prints it: sizes as 1-tuples, and neither ceil_mode nor count_include_pad. */
    @Override
    protected String extraRepr() {
        PoolOptions o = options;
        return "kernel_size=" + Conv2d.tuple(o.kernelW()) + ", stride=" + Conv2d.tuple(o.strideW()) + ", padding=" + Conv2d.tuple(o.padW());
    }
}
