package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout2d(p=0.5)}: zeroes whole channels of (N, C, H, W) or (C, H, W) inputs, in training mode only. */
public final class Dropout2d extends DropoutNd {
    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout2d(x, p, isTraining()));
    }
}
