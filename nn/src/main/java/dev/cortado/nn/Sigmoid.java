package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Sigmoid}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(x.sigmoid());
    }
}
