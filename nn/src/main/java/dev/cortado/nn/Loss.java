package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** A criterion comparing a model's output with a target, like PyTorch's loss modules. */
public abstract class Loss {
    protected final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    public Reduction reduction() {
        return reduction;
    }
}
