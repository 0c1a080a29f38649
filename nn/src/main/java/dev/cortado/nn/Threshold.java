package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Threshold(threshold, value)}: x above the threshold, value at and below it. */
public final class Threshold extends Module {
    private final double threshold;
    private final double value;

    public Threshold(double threshold, double value) {
        this.threshold = threshold;
        this.value = value;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.threshold(x, threshold, value));
    }

    @Override
    protected String extraRepr() {
        return "threshold=" + Py.floatRepr(threshold) + ", value=" + Py.floatRepr(value);
    }
}
