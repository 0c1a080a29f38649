package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Dropout(p=0.5)}: zeroes elements with probability p and scales the rest by 1 / (1 - p), in training mode only. */
public final class Dropout extends DropoutNd {
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        super(p);
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.dropout(x, p, isTraining()));
    }
}
