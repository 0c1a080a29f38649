package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.ReLU(inplace=False)}: max(x, 0), written over the input when inplace. */
public final class ReLU extends Module {
    private final boolean inplace;

    public ReLU() {
        this(false);
    }

    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(inplace ? x.relu_() : x.relu());
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
