package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0,
 * bidirectional=False, proj_size=0)}: input, forget, cell and output gates stacked in that order in each weight.
 */
public final class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        this(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
    }

    /**
     * With {@code proj_size} &gt; 0 each step's hidden state is projected to that size by
     * {@code weight_hr_l<k>} (proj_size, hidden_size): h0, h_n and the output have it, c0 and c_n keep hidden_size.
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
                int projSize) {
        super("LSTM", RecurrentCells.Kind.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize);
    }

    /** PyTorch's {@code lstm(input, (h0, c0))}: the output at every step, h_n and c_n; h0 and c0 may be null for zeros. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("LSTM: give both h0 and c0, or neither");
        }
        return run(input, h0, c0);
    }

    /** PyTorch's {@code lstm(packed, (h0, c0))}: the outputs packed as the input, h_n and c_n in the batch's own order. */
    public PackedResult forward(PackedSequence input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("LSTM: give both h0 and c0, or neither");
        }
        return run(input, h0, c0);
    }
}
