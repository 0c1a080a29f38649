package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.Hardswish}: x · hardsigmoid(x). */
public final class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.hardswish(x));
    }
}
