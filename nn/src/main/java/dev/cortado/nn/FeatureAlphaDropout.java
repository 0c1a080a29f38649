package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.FeatureAlphaDropout(p=0.5)}: alpha dropout of whole channels of (N, C, ...) inputs, in training mode only. */
public final class FeatureAlphaDropout extends DropoutNd {
    public FeatureAlphaDropout() {
        this(0.5);
    }

    public FeatureAlphaDropout(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.featureAlphaDropout(x, p, isTraining()));
    }
}
