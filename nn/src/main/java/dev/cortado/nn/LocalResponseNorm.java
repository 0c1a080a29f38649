package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)}: AlexNet's normalisation across neighbouring channels. */
public final class LocalResponseNorm extends Module {
    private final int size;
    private final double alpha;
    private final double beta;
    private final double k;

    public LocalResponseNorm(int size) {
        this(size, 1e-4, 0.75, 1.0);
    }

    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.localResponseNorm(x, size, alpha, beta, k));
    }

    @Override
    protected String extraRepr() {
        return size + ", alpha=" + Py.floatRepr(alpha) + ", beta=" + Py.floatRepr(beta) + ", k=" + Py.floatRepr(k);
    }
}
