package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Shared body of {@link RNN}, {@link LSTM} and {@link GRU}: stacked layers, optionally
 * bidirectional, over (L, N, H_in) inputs ((N, L, H_in) with batchFirst, (L, H_in) unbatched, or a
 * {@link PackedSequence}), with PyTorch's parameter names, shapes, init and inter-layer dropout.
 * Each layer projects the whole sequence through its input weights in one matmul, then steps
 * through time. A packed batch runs padded: at a step past a sequence's end its states are kept
 * (a reverse pass starts from the initial state at the sequence's own last step), which gives
 * PyTorch's outputs and final states for each sequence.
 */
public abstract class RNNBase extends Module {
    /** The outputs of every step of the last layer, and the final hidden (and, for an LSTM, cell) state of every layer and direction. */
    public record Result(Tensor output, Tensor hN, Tensor cN) {
    }

    /** As {@link Result}, for a packed input: the outputs packed the same way, the final states in the batch's own order. */
    public record PackedResult(PackedSequence output, Tensor hN, Tensor cN) {
    }

    private final RecurrentCells.Kind kind;
    private final int inputSize;
    private final int hiddenSize;
    /** An LSTM's projection size (0: none), which is then the hidden state's size. */
    private final int projSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    /** Per layer and direction: weight_ih, weight_hh, bias_ih, bias_hh (null without bias), weight_hr (null without projection). */
    private final List<Tensor[]> weights = new ArrayList<>();

    RNNBase(String name, RecurrentCells.Kind kind, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional) {
        this(name, kind, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
    }

    RNNBase(String name, RecurrentCells.Kind kind, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, int projSize) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(name + ": input_size, hidden_size and num_layers must be positive, got " + inputSize + ", "
                    + hiddenSize + " and " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(name + ": dropout should be a number in range [0, 1] representing the probability of an element "
                    + "being zeroed, got " + dropout);
        }
        if (projSize < 0) {
            throw new IllegalArgumentException(name + ": proj_size should be a positive integer or zero to disable projections, got " + projSize);
        }
        if (projSize >= hiddenSize) {
            throw new IllegalArgumentException(name + ": proj_size has to be smaller than hidden_size, got " + projSize + " and " + hiddenSize);
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.projSize = projSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        int rows = kind.gates * hiddenSize;
        int stateSize = stateSize();
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : stateSize * directions;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor wIh = registerParameter("weight_ih" + suffix, Tensor.zeros(rows, in));
                Tensor wHh = registerParameter("weight_hh" + suffix, Tensor.zeros(rows, stateSize));
                Tensor bIh = bias ? registerParameter("bias_ih" + suffix, Tensor.zeros(rows)) : null;
                Tensor bHh = bias ? registerParameter("bias_hh" + suffix, Tensor.zeros(rows)) : null;
                Tensor wHr = projSize > 0 ? registerParameter("weight_hr" + suffix, Tensor.zeros(projSize, hiddenSize)) : null;
                RecurrentCells.init(hiddenSize, wIh, wHh, bIh, bHh, wHr);
                weights.add(new Tensor[] {wIh, wHh, bIh, bHh, wHr});
            }
        }
    }

    /** The hidden state's size: the projection's where there is one. */
    private int stateSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** The last layer's outputs at every step, from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return traced(run(input, null, null).output());
    }

    /** The whole pass; h0 and c0 (LSTM only) may be null for zeros. */
    Result run(Tensor input, Tensor h0, Tensor c0) {
        String name = getClass().getSimpleName();
        if (input.dim() != 2 && input.dim() != 3 || input.size(input.dim() - 1) != inputSize) {
            throw new IllegalArgumentException(name + ": expected an input " + (batchFirst ? "(N, L, " : "(L, N, ") + inputSize + ") or (L, "
                    + inputSize + "), got " + Shapes.str(input.shape()));
        }
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(batchFirst ? 0 : 1) : input;
        if (batchFirst) {
            x = x.transpose(0, 1);
        }
        Result r = layers(name, x, h0, c0, unbatched, null);
        Tensor output = batchFirst ? r.output().transpose(0, 1) : r.output();
        Tensor hOut = r.hN();
        Tensor cOut = r.cN();
        if (unbatched) {
            output = output.squeeze(batchFirst ? 0 : 1);
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new Result(output, hOut, cOut);
    }

    /** The whole pass over a packed batch; h0 and c0 (LSTM only), in the batch's own order, may be null for zeros. */
    PackedResult run(PackedSequence input, Tensor h0, Tensor c0) {
        String name = getClass().getSimpleName();
        if (input.data().dim() != 2 || input.data().size(1) != inputSize) {
            throw new IllegalArgumentException(name + ": expected packed data (total length, " + inputSize + "), got "
                    + Shapes.str(input.data().shape()));
        }
        Result r = layers(name, input.padded(0), h0, c0, false, input.lengthArray());
        return new PackedResult(input.withData(input.pack(r.output())), r.hN(), r.cN());
    }

    /** Every layer over x (L, N, H_in); lengths, when given, end each sequence of the batch early. */
    private Result layers(String name, Tensor x, Tensor h0, Tensor c0, boolean unbatched, int[] lengths) {
        int steps = x.size(0);
        int batch = x.size(1);
        int directions = bidirectional ? 2 : 1;
        Tensor h = state(name, "hx", h0, unbatched, batch, directions, stateSize(), x);
        Tensor c = kind == RecurrentCells.Kind.LSTM ? state(name, "cx", c0, unbatched, batch, directions, hiddenSize, x) : null;
        Tensor[] running = lengths == null ? null : runningMasks(lengths, steps, x);
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outputs = new ArrayList<>();
            for (int d = 0; d < directions; d++) {
                Tensor[] w = weights.get(layer * directions + d);
                Tensor xp = x.matmul(w[0].t());
                if (w[2] != null) {
                    xp = xp.add(w[2]);
                }
                Tensor hd = h.select(0, layer * directions + d);
                Tensor cd = c == null ? null : c.select(0, layer * directions + d);
                Tensor[] out = new Tensor[steps];
                for (int s = 0; s < steps; s++) {
                    int t = d == 0 ? s : steps - 1 - s;
                    Tensor[] next = RecurrentCells.step(kind, xp.select(0, t), hd, cd, w[1], w[3], w[4]);
                    Tensor mask = running == null ? null : running[t];
                    hd = mask == null ? next[0] : Tensor.where(mask, next[0], hd);
                    cd = next.length == 1 ? null : mask == null ? next[1] : Tensor.where(mask, next[1], cd);
                    out[t] = hd;
                }
                outputs.add(steps == 0 ? Tensor.zeros(new int[] {0, batch, stateSize()}, x.dtype(), x.device()) : Tensor.stack(List.of(out), 0));
                hN.add(hd);
                if (cd != null) {
                    cN.add(cd);
                }
            }
            x = directions == 1 ? outputs.get(0) : Tensor.cat(outputs, 2);
            if (dropout > 0 && isTraining() && layer < numLayers - 1) {
                x = F.dropout(x, dropout, true);
            }
        }
        return new Result(x, Tensor.stack(hN, 0), cN.isEmpty() ? null : Tensor.stack(cN, 0));
    }

    /** Per step, the (N, 1) mask of the sequences still running, or null at a step where all are. */
    private static Tensor[] runningMasks(int[] lengths, int steps, Tensor like) {
        Tensor[] masks = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            float[] m = new float[lengths.length];
            boolean all = true;
            for (int b = 0; b < lengths.length; b++) {
                m[b] = lengths[b] > t ? 1 : 0;
                all &= lengths[b] > t;
            }
            masks[t] = all ? null : Tensor.fromArray(m, new int[] {lengths.length, 1}, like.device());
        }
        return masks;
    }

    /** An initial state (D · num_layers, N, size), or (D · num_layers, size) for an unbatched input; zeros when absent. */
    private Tensor state(String name, String what, Tensor given, boolean unbatched, int batch, int directions, int size, Tensor like) {
        int layers = directions * numLayers;
        if (given == null) {
            return Tensor.zeros(new int[] {layers, batch, size}, like.dtype(), like.device());
        }
        int[] want = unbatched ? new int[] {layers, size} : new int[] {layers, batch, size};
        if (!java.util.Arrays.equals(given.shape(), want)) {
            throw new IllegalArgumentException(name + ": expected " + what + " of size " + Shapes.str(want) + ", got " + Shapes.str(given.shape()));
        }
        return unbatched ? given.unsqueeze(1) : given;
    }

    /** PyTorch's, which leaves out the nonlinearity. */
    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) {
            sb.append(", proj_size=").append(projSize);
        }
        if (numLayers != 1) {
            sb.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (batchFirst) {
            sb.append(", batch_first=True");
        }
        if (dropout != 0) {
            sb.append(", dropout=").append(dropout);
        }
        if (bidirectional) {
            sb.append(", bidirectional=True");
        }
        return sb.toString();
    }
}
