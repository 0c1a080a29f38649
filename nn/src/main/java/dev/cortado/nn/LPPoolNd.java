package dev.cortado.nn;

/** What {@link LPPool1d} and {@link LPPool2d} hold: the norm, a square (or 1-d) window, its stride (null: the window) and ceil mode. */
public abstract class LPPoolNd extends Module {
    final double normType;
    final int kernel;
    /** Null when not given: PyTorch prints {@code stride=None} and pools with stride = kernel. */
    private final Integer stride;
    final boolean ceilMode;

    LPPoolNd(double normType, int kernel, Integer stride, boolean ceilMode) {
        this.normType = normType;
        this.kernel = kernel;
        this.stride = stride;
        this.ceilMode = ceilMode;
    }

    int stride() {
        return stride == null ? kernel : stride;
    }

    @Override
    protected String extraRepr() {
        return "norm_type=" + Py.floatRepr(normType) + ", kernel_size=" + kernel + ", stride=" + (stride == null ? "None" : stride)
                + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
