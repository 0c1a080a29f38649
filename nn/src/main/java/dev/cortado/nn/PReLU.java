package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.PReLU(num_parameters=1, init=0.25)}: a leaky ReLU whose negative slope is learned,
 * one for all channels or one per channel.
 */
public final class PReLU extends Module {
    public final Tensor weight;

    public PReLU() {
        this(1, 0.25);
    }

    public PReLU(int numParameters, double init) {
        if (numParameters <= 0) {
            throw new IllegalArgumentException("PReLU: num_parameters must be positive, got " + numParameters);
        }
        weight = registerParameter("weight", Tensor.full(new int[] {numParameters}, init));
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.prelu(x, weight));
    }

    @Override
    protected String extraRepr() {
        return "num_parameters=" + weight.numel();
    }
}
