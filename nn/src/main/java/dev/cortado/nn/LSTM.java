package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0,
 * bidirectional=False)}: input, forget, cell and output gates stacked in that order in each weight.
 */
public final class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super("LSTM", RecurrentCells.Kind.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** PyTorch's {@code lstm(input, (h0, c0))}: the output at every step, h_n and c_n; h0 and c0 may be null for zeros. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("LSTM: give both h0 and c0, or neither");
        }
        return run(input, h0, c0);
    }
}
