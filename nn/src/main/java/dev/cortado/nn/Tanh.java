package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(x.tanh());
    }
}
