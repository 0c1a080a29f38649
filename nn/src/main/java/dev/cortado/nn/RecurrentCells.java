package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * One time step of PyTorch's recurrent cells, given the input's projection {@code x W_ihᵀ + b_ih}
 * (worked out for every step at once by the layers): the Elman cell (tanh or ReLU), the LSTM cell
 * with gates in PyTorch's order (input, forget, cell, output) and the GRU cell (reset, update,
 * new), whose reset gate scales the hidden projection after its bias, as PyTorch's does.
 */
final class RecurrentCells {
    /** The cell kinds, with how many gate blocks their weights stack. */
    enum Kind {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    private RecurrentCells() {
    }

    /** {h'} or, for an LSTM, {h', c'}, from the projected input xp (N, G H), h and c (N, H). */
    static Tensor[] step(Kind kind, Tensor xp, Tensor h, Tensor c, Tensor wHh, Tensor bHh) {
        return step(kind, xp, h, c, wHh, bHh, null);
    }

    /** As above, an LSTM's h' then projected by wHr (proj_size, H) when it is not null, as PyTorch's proj_size does. */
    static Tensor[] step(Kind kind, Tensor xp, Tensor h, Tensor c, Tensor wHh, Tensor bHh, Tensor wHr) {
        Tensor hp = h.matmul(wHh.t());
        if (bHh != null) {
            hp = hp.add(bHh);
        }
        int size = wHh.size(0) / kind.gates;
        int last = xp.dim() - 1;
        return switch (kind) {
            case RNN_TANH -> new Tensor[] {xp.add(hp).tanh()};
            case RNN_RELU -> new Tensor[] {xp.add(hp).relu()};
            case LSTM -> {
                Tensor gates = xp.add(hp);
                Tensor i = gates.narrow(last, 0, size).sigmoid();
                Tensor f = gates.narrow(last, size, size).sigmoid();
                Tensor g = gates.narrow(last, 2 * size, size).tanh();
                Tensor o = gates.narrow(last, 3 * size, size).sigmoid();
                Tensor c2 = f.mul(c).add(i.mul(g));
                Tensor h2 = o.mul(c2.tanh());
                yield new Tensor[] {wHr == null ? h2 : h2.matmul(wHr.t()), c2};
            }
            case GRU -> {
                Tensor r = xp.narrow(last, 0, size).add(hp.narrow(last, 0, size)).sigmoid();
                Tensor z = xp.narrow(last, size, size).add(hp.narrow(last, size, size)).sigmoid();
                Tensor n = xp.narrow(last, 2 * size, size).add(r.mul(hp.narrow(last, 2 * size, size))).tanh();
                yield new Tensor[] {n.add(z.mul(h.sub(n)))};
            }
        };
    }

    /** PyTorch's init for every recurrent weight and bias: U(-1/√hidden, 1/√hidden). */
    static void init(int hiddenSize, Tensor... params) {
        double bound = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : params) {
            if (p != null) {
                Init.uniform_(p, -bound, bound);
            }
        }
    }
}
