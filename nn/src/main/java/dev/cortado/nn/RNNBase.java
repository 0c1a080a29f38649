package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Shared body of {@link RNN}, {@link LSTM} and {@link GRU}: stacked layers, optionally
 * bidirectional, over (L, N, H_in) inputs ((N, L, H_in) with batchFirst, (L, H_in) unbatched),
 * with PyTorch's parameter names, shapes, init and inter-layer dropout. Each layer projects the
 * whole sequence through its input weights in one matmul, then steps through time.
 */
public abstract class RNNBase extends Module {
    /** The outputs of every step of the last layer, and the final hidden (and, for an LSTM, cell) state of every layer and direction. */
    public record Result(Tensor output, Tensor hN, Tensor cN) {
    }

    private final RecurrentCells.Kind kind;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    /** Per layer and direction: weight_ih, weight_hh, bias_ih, bias_hh (null without bias). */
    private final List<Tensor[]> weights = new ArrayList<>();

    RNNBase(String name, RecurrentCells.Kind kind, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(name + ": input_size, hidden_size and num_layers must be positive, got " + inputSize + ", "
                    + hiddenSize + " and " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(name + ": dropout should be a number in range [0, 1] representing the probability of an element "
                    + "being zeroed, got " + dropout);
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        int rows = kind.gates * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor wIh = registerParameter("weight_ih" + suffix, Tensor.zeros(rows, in));
                Tensor wHh = registerParameter("weight_hh" + suffix, Tensor.zeros(rows, hiddenSize));
                Tensor bIh = bias ? registerParameter("bias_ih" + suffix, Tensor.zeros(rows)) : null;
                Tensor bHh = bias ? registerParameter("bias_hh" + suffix, Tensor.zeros(rows)) : null;
                RecurrentCells.init(hiddenSize, wIh, wHh, bIh, bHh);
                weights.add(new Tensor[] {wIh, wHh, bIh, bHh});
            }
        }
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
        int steps = x.size(0);
        int batch = x.size(1);
        int directions = bidirectional ? 2 : 1;
        Tensor h = state(name, "hx", h0, unbatched, batch, directions, x);
        Tensor c = kind == RecurrentCells.Kind.LSTM ? state(name, "cx", c0, unbatched, batch, directions, x) : null;
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
                    Tensor[] next = RecurrentCells.step(kind, xp.select(0, t), hd, cd, w[1], w[3]);
                    hd = next[0];
                    cd = next.length > 1 ? next[1] : null;
                    out[t] = hd;
                }
                outputs.add(steps == 0 ? Tensor.zeros(new int[] {0, batch, hiddenSize}, x.dtype(), x.device()) : Tensor.stack(List.of(out), 0));
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
        Tensor output = batchFirst ? x.transpose(0, 1) : x;
        Tensor hOut = Tensor.stack(hN, 0);
        Tensor cOut = cN.isEmpty() ? null : Tensor.stack(cN, 0);
        if (unbatched) {
            output = output.squeeze(batchFirst ? 0 : 1);
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new Result(output, hOut, cOut);
    }

    /** An initial state (D · num_layers, N, H), or (D · num_layers, H) for an unbatched input; zeros when absent. */
    private Tensor state(String name, String what, Tensor given, boolean unbatched, int batch, int directions, Tensor like) {
        int layers = directions * numLayers;
        if (given == null) {
            return Tensor.zeros(new int[] {layers, batch, hiddenSize}, like.dtype(), like.device());
        }
        int[] want = unbatched ? new int[] {layers, hiddenSize} : new int[] {layers, batch, hiddenSize};
        if (!java.util.Arrays.equals(given.shape(), want)) {
            throw new IllegalArgumentException(name + ": expected " + what + " of size " + Shapes.str(want) + ", got " + Shapes.str(given.shape()));
        }
        return unbatched ? given.unsqueeze(1) : given;
    }

    /** PyTorch's, which leaves out the nonlinearity. */
    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
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
