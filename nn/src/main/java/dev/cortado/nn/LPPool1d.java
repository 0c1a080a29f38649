package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LPPool1d(norm_type, kernel_size, stride=kernel_size, ceil_mode=False)}: (Σ x^p)^(1/p) over each window of L. */
public final class LPPool1d extends Module {
    private final double normType;
    private final int kernel;
    /** Null when not given: PyTorch prints {@code stride=None} and pools with stride = kernel. */
    private final Integer stride;
    private final boolean ceilMode;

    public LPPool1d(double normType, int kernel) {
        this(normType, kernel, null, false);
    }

    public LPPool1d(double normType, int kernel, Integer stride, boolean ceilMode) {
        this.normType = normType;
        this.kernel = kernel;
        this.stride = stride;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.lpPool1d(x, normType, kernel, stride == null ? kernel : stride, ceilMode));
    }

    @Override
    protected String extraRepr() {
        return "norm_type=" + Py.floatRepr(normType) + ", kernel_size=" + kernel + ", stride=" + (stride == null ? "None" : stride) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
