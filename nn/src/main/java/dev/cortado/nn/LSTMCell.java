package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/** {@code nn.LSTMCell(input_size, hidden_size, bias=True)}: one LSTM step. */
public final class LSTMCell extends RNNCellBase {
    /** The new hidden and cell states. */
    public record State(Tensor h, Tensor c) {
    }

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super("LSTMCell", RecurrentCells.Kind.LSTM, inputSize, hiddenSize, bias);
    }

    /** (h', c') from the input, h and c (both null for zeros). */
    public State forward(Tensor input, Tensor h, Tensor c) {
        if ((h == null) != (c == null)) {
            throw new IllegalArgumentException("LSTMCell: give both h and c, or neither");
        }
        Tensor[] next = step(input, h, c);
        return new State(next[0], next[1]);
    }
}
