package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LogSigmoid}: log σ(x), computed as -softplus(-x). */
public final class LogSigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.logsigmoid(x));
    }
}
