package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.Bilinear(in1_features, in2_features, out_features, bias=True)}:
 * {@code y_o = x1ᵀ W_o x2 + b_o} on (*, in1) and (*, in2) inputs, weight (out, in1, in2) and bias
 * (out) drawn from U(-1/√in1, 1/√in1), as PyTorch does.
 */
public final class Bilinear extends Module {
    /** Not final: {@link WeightNorm} and {@link SpectralNorm} assign the recomputed weight before each call. */
    public Tensor weight;
    public final Tensor bias;
    private final int in1;
    private final int in2;
    private final int out;

    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true);
    }

    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        if (in1Features <= 0 || in2Features <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Bilinear: feature counts must be positive, got " + in1Features + ", " + in2Features + ", "
                    + outFeatures);
        }
        this.in1 = in1Features;
        this.in2 = in2Features;
        this.out = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, in1Features, in2Features));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        double bound = 1 / Math.sqrt(in1Features);
        Init.uniform_(weight, -bound, bound);
        if (this.bias != null) {
            Init.uniform_(this.bias, -bound, bound);
        }
    }

    /** Bilinear layers take two inputs; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("Bilinear: takes two inputs; call forward(input1, input2)");
    }

    public Tensor forward(Tensor input1, Tensor input2) {
        return F.bilinear(input1, input2, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1 + ", in2_features=" + in2 + ", out_features=" + out + ", bias=" + (bias != null ? "True" : "False");
    }
}
