package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * {@code nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0,
 * bidirectional=False)}: reset, update and new gates stacked in that order in each weight.
 */
public final class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super("GRU", RecurrentCells.Kind.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** PyTorch's {@code gru(input, h0)}: the output at every step and h_n; h0 may be null for zeros. */
    public Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    /** PyTorch's {@code gru(packed, h0)}: the outputs packed as the input, and h_n in the batch's own order. */
    public PackedResult forward(PackedSequence input, Tensor h0) {
        return run(input, h0, null);
    }
}
