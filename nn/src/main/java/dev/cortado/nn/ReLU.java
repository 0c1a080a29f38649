package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.ReLU}: max(x, 0). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(x.relu());
    }
}
