package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout3d(p=0.5)}: zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs, in training mode only. */
public final class Dropout3d extends DropoutNd {
    public Dropout3d() {
        this(0.5);
    }

    public Dropout3d(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout3d(x, p, isTraining()));
    }
}
