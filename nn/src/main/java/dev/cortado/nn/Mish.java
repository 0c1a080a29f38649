package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Mish}: x tanh(softplus(x)). */
public final class Mish extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.mish(x));
    }
}
