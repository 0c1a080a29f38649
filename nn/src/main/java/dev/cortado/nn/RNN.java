package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
 * batch_first=False, dropout=0, bidirectional=False)}: {@code h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)}.
 */
public final class RNN extends RNNBase {
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false);
    }

    /** nonlinearity "tanh" or "relu". */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        super("RNN", kind(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    static RecurrentCells.Kind kind(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> RecurrentCells.Kind.RNN_TANH;
            case "relu" -> RecurrentCells.Kind.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity + "'; select from 'tanh' or 'relu'");
        };
    }

    /** PyTorch's {@code rnn(input, h0)}: the output at every step and h_n; h0 may be null for zeros. */
    public Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    /** PyTorch's {@code rnn(packed, h0)}: the outputs packed as the input, and h_n in the batch's own order. */
    public PackedResult forward(PackedSequence input, Tensor h0) {
        return run(input, h0, null);
    }
}
