package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.CosineSimilarity(dim=1, eps=1e-8)}: {@link F#cosineSimilarity} of two inputs as a layer. */
public final class CosineSimilarity extends Module {
    private final int dim;
    private final double eps;

    public CosineSimilarity() {
        this(1, 1e-8);
    }

    public CosineSimilarity(int dim, double eps) {
        this.dim = dim;
        this.eps = eps;
    }

    /** Takes two inputs; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("CosineSimilarity: takes two inputs; call forward(x1, x2)");
    }

    public Tensor forward(Tensor x1, Tensor x2) {
        return traced(F.cosineSimilarity(x1, x2, dim, eps));
    }
}
