package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.AlphaDropout(p=0.5)}: dropout that keeps a SELU network's zero mean and unit variance, in training mode only. */
public final class AlphaDropout extends DropoutNd {
    public AlphaDropout() {
        this(0.5);
    }

    public AlphaDropout(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.alphaDropout(x, p, isTraining()));
    }
}
