package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Softplus(beta=1, threshold=20)}: log(1 + exp(beta x)) / beta, and x itself where beta x exceeds threshold. */
public final class Softplus extends Module {
    private final double beta;
    private final double threshold;

    public Softplus() {
        this(1, 20);
    }

    public Softplus(double beta, double threshold) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("Softplus: beta must be positive, got " + beta);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.softplus(x, beta, threshold));
    }

    @Override
    protected String extraRepr() {
        return "beta=" + number(beta) + ", threshold=" + number(threshold);
    }

    /** Whole numbers without a fraction, as PyTorch prints its integer defaults. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
