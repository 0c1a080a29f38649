package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LPPool2d(norm_type, kernel_size, stride=kernel_size, ceil_mode=False)}: (Σ x^p)^(1/p) over each window. */
public final class LPPool2d extends LPPoolNd {
    public LPPool2d(double normType, int kernel) {
        this(normType, kernel, null, false);
    }

    public LPPool2d(double normType, int kernel, Integer stride, boolean ceilMode) {
        super(normType, kernel, stride, ceilMode);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.lpPool2d(x, normType, kernel, kernel, stride(), stride(), ceilMode));
    }
}
