package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.SELU}: scaled ELU with PyTorch's self-normalising constants. */
public final class SELU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.selu(x));
    }
}
