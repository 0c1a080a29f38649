package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity="tanh")}: one Elman step. */
public final class RNNCell extends RNNCellBase {
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super("RNNCell", RNN.kind(nonlinearity), inputSize, hiddenSize, bias);
    }

    /** h' from the input and h (null for zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        return step(input, h, null)[0];
    }
}
