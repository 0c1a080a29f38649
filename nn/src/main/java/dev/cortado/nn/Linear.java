package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Linear(in, out, bias)}: y = x Wᵀ + b, initialised as PyTorch does. */
public final class Linear extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: feature counts must be non-negative, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(weight, this.bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.linear(x, weight, bias));
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
