package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.PairwiseDistance(p=2.0, eps=1e-6, keepdim=False)}: {@link F#pairwiseDistance} of two inputs as a layer. */
public final class PairwiseDistance extends Module {
    private final double p;
    private final double eps;
    private final boolean keepdim;

    public PairwiseDistance() {
        this(2, 1e-6, false);
    }

    public PairwiseDistance(double p, double eps, boolean keepdim) {
        this.p = p;
        this.eps = eps;
        this.keepdim = keepdim;
    }

    /** Takes two inputs; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("PairwiseDistance: takes two inputs; call forward(x1, x2)");
    }

    public Tensor forward(Tensor x1, Tensor x2) {
        return traced(F.pairwiseDistance(x1, x2, p, eps, keepdim));
    }
}
