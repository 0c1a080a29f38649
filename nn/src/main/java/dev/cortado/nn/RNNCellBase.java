package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Shared body of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}: one step on an input
 * (N, input_size) or unbatched (input_size), with PyTorch's weight_ih, weight_hh, bias_ih and
 * bias_hh and their init.
 */
public abstract class RNNCellBase extends Module {
    public final Tensor weightIh;
    public final Tensor weightHh;
    public final Tensor biasIh;
    public final Tensor biasHh;
    private final RecurrentCells.Kind kind;
    private final int inputSize;
    private final int hiddenSize;

    RNNCellBase(String name, RecurrentCells.Kind kind, int inputSize, int hiddenSize, boolean bias) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(name + ": input_size and hidden_size must be positive, got " + inputSize + " and " + hiddenSize);
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int rows = kind.gates * hiddenSize;
        weightIh = registerParameter("weight_ih", Tensor.zeros(rows, inputSize));
        weightHh = registerParameter("weight_hh", Tensor.zeros(rows, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Tensor.zeros(rows)) : null;
        biasHh = bias ? registerParameter("bias_hh", Tensor.zeros(rows)) : null;
        RecurrentCells.init(hiddenSize, weightIh, weightHh, biasIh, biasHh);
    }

    /** The new hidden state from zero states. */
    @Override
    public Tensor forward(Tensor input) {
        return traced(step(input, null, null)[0]);
    }

    /** {h'} or {h', c'}; h and c may be null for zeros. */
    Tensor[] step(Tensor input, Tensor h, Tensor c) {
        String name = getClass().getSimpleName();
        if (input.dim() != 1 && input.dim() != 2 || input.size(input.dim() - 1) != inputSize) {
            throw new IllegalArgumentException(name + ": expected an input (N, " + inputSize + ") or (" + inputSize + "), got "
                    + Shapes.str(input.shape()));
        }
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor hx = state(name, "hidden", h, unbatched, x);
        Tensor cx = kind == RecurrentCells.Kind.LSTM ? state(name, "cell", c, unbatched, x) : null;
        Tensor xp = x.matmul(weightIh.t());
        if (biasIh != null) {
            xp = xp.add(biasIh);
        }
        Tensor[] next = RecurrentCells.step(kind, xp, hx, cx, weightHh, biasHh);
        if (unbatched) {
            for (int i = 0; i < next.length; i++) {
                next[i] = next[i].squeeze(0);
            }
        }
        return next;
    }

    private Tensor state(String name, String what, Tensor given, boolean unbatched, Tensor x) {
        if (given == null) {
            return Tensor.zeros(new int[] {x.size(0), hiddenSize}, x.dtype(), x.device());
        }
        int[] want = unbatched ? new int[] {hiddenSize} : new int[] {x.size(0), hiddenSize};
        if (!java.util.Arrays.equals(given.shape(), want)) {
            throw new IllegalArgumentException(name + ": expected the " + what + " state of size " + Shapes.str(want) + ", got "
                    + Shapes.str(given.shape()));
        }
        return unbatched ? given.unsqueeze(0) : given;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "") + (kind == RecurrentCells.Kind.RNN_RELU ? ", nonlinearity=relu" : "");
    }
}
