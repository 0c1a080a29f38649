package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.SiLU()}, also called swish: x sigmoid(x). */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.silu(x));
    }
}
