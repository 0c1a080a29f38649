package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.ReLU6}: min(max(x, 0), 6). */
public final class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return traced(F.relu6(x));
    }
}
