package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Hardsigmoid}: (x + 3) / 6 clamped to [0, 1]. */
public final class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.hardsigmoid(x));
    }
}
