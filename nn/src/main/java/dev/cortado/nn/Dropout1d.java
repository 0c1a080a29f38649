package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout1d(p=0.5)}: zeroes whole channels of (N, C, L) or (C, L) inputs, in training mode only. */
public final class Dropout1d extends DropoutNd {
    public Dropout1d() {
        this(0.5);
    }

    public Dropout1d(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout1d(x, p, isTraining()));
    }
}
