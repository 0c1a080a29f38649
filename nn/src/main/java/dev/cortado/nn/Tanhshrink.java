package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Tanhshrink()}: x - tanh(x). */
public final class Tanhshrink extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.tanhshrink(x));
    }
}
