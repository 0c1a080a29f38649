package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LPPool1d(norm_type, kernel_size, stride=kernel_size, ceil_mode=False)}: (Σ x^p)^(1/p) over each window of L. */
public final class LPPool1d extends LPPoolNd {
    public LPPool1d(double normType, int kernel) {
        this(normType, kernel, null, false);
    }

    public LPPool1d(double normType, int kernel, Integer stride, boolean ceilMode) {
        super(normType, kernel, stride, ceilMode);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.lpPool1d(x, normType, kernel, stride(), ceilMode));
    }
}
