package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Hardtanh(min_val=-1.0, max_val=1.0)}: x clamped to [min, max]. */
public final class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    public Hardtanh() {
        this(-1.0, 1.0);
    }

    public Hardtanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) {
            throw new IllegalArgumentException("Hardtanh: min_val cannot be greater than max_val, got " + minVal + " and " + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.hardtanh(x, minVal, maxVal));
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + Py.floatRepr(minVal) + ", max_val=" + Py.floatRepr(maxVal);
    }
}
