package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.GRUCell(input_size, hidden_size, bias=True)}: one GRU step. */
public final class GRUCell extends RNNCellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super("GRUCell", RecurrentCells.Kind.GRU, inputSize, hiddenSize, bias);
    }

    /** h' from the input and h (null for zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        return step(input, h, null)[0];
    }
}
