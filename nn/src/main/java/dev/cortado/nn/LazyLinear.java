package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/**
 * {@code nn.LazyLinear(out_features, bias=True)}: a {@link Linear} whose in_features is the last
 * dim of its first input. Until then its weight is (out_features, 0); afterwards it is a Linear in
 * every way, its repr included, as PyTorch turns the module into one.
 */
public final class LazyLinear extends Module implements LazyModule {
    public final Tensor weight;
    public final Tensor bias;
    private final int outFeatures;
    private int inFeatures;

    public LazyLinear(int outFeatures) {
        this(outFeatures, true);
    }

    public LazyLinear(int outFeatures, boolean bias) {
        if (outFeatures < 0) {
            throw new IllegalArgumentException("LazyLinear: out_features must be non-negative, got " + outFeatures);
        }
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, 0));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(0)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!materialized()) {
            if (x.dim() == 0) {
                throw new IllegalArgumentException("LazyLinear: cannot infer in_features from a 0-d input");
            }
            materialize(x.size(x.dim() - 1));
        }
        return traced(F.linear(x, weight, bias));
    }

    @Override
    public boolean materialized() {
        return inFeatures > 0;
    }

    @Override
    public void materialize(Map<String, Tensor> ownState) {
        Tensor w = LazyModule.entry("LazyLinear", ownState, "weight");
        if (w.dim() != 2 || w.size(0) != outFeatures) {
            throw new IllegalArgumentException("LazyLinear(out_features=" + outFeatures + "): weight " + Shapes.str(w.shape())
                    + " in the state dict is not (" + outFeatures + ", in_features)");
        }
        materialize(w.size(1));
    }

    /** Creates the weight and bias as {@code Linear(in, out)} would, drawing from the default generator now. */
    private void materialize(int in) {
        if (in <= 0) {
            throw new IllegalArgumentException("LazyLinear: the input's last dim must be positive to infer in_features, got " + in);
        }
        Linear real = new Linear(in, outFeatures, bias != null);
        LazyModule.fill(new Tensor[] {weight, bias}, new Tensor[] {real.weight, real.bias});
        inFeatures = in;
    }

    @Override
    public String toString() {
        String args = "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
        return (materialized() ? "Linear" : "LazyLinear") + "(" + args + ")";
    }
}
