package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Softsign}: x / (1 + |x|). */
public final class Softsign extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.softsign(x));
    }
}
