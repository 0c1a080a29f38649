package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RNN, LSTM, GRU and their cells against PyTorch 1.13, each parameter set to a wave in state-dict
 * order: the sums of the output, h_n and c_n, of a loss mixing them, and of the input's and the
 * parameters' gradients dotted with waves.
 */
class RecurrentTest extends OnReference {

    /** outputs: y, h, c (null where the module has none). */
    static void matches(String name, Module m, Tensor input, Function<Tensor, Tensor[]> run, int[] shape, double... sums) {
        WaveParameters.set(m);
        Tensor x = input.detach().requiresGrad_(true);
        Tensor[] out = run.apply(x);
        Tensor y = out[0];
        assertArrayEquals(shape, y.shape(), name + " shape");
        Tensor loss = y.mul(wave(y.numel(), 0.11, false, y.shape())).sum().add(out[1].sum().mul(0.5));
        if (out[2] != null) {
            loss = loss.add(out[2].sum().mul(0.25));
        }
        loss.backward();
        double paramGrads = 0;
        for (Tensor p : m.parameters()) {
            paramGrads += p.grad().mul(wave(p.numel(), 0.77, true, p.shape())).sum().item();
        }
        double[] got = {y.sum().item(), out[1].sum().item(), out[2] == null ? 0 : out[2].sum().item(), loss.item(),
            x.grad().mul(wave(x.numel(), 0.31, true, x.shape())).sum().item(), paramGrads};
        String[] what = {"output", "h_n", "c_n", "loss", "input gradient", "parameter gradients"};
        for (int i = 0; i < got.length; i++) {
            assertEquals(sums[i], got[i], 1e-5 * (1 + Math.abs(sums[i])), name + ": " + what[i]);
        }
    }

    static Tensor[] of(RNNBase.Result r) {
        return new Tensor[] {r.output(), r.hN(), r.cN()};
    }

    @Test
    void layersMatchPyTorch() {
        RNN rnn = new RNN(3, 4, 2, "tanh", true, true, 0, true);
        matches("rnn tanh, 2 layers, bidirectional, batch first", rnn, wave(30, 0.37, false, 2, 5, 3), x -> of(rnn.forward(x, null)),
                new int[] {2, 5, 8}, -8.312426567077637, 3.0263664722442627, 0.0, -1.8996278047561646, -4.636569499969482, 17.5941624045372);
        RNN relu = new RNN(3, 4, 1, "relu", true, false, 0, false);
        matches("rnn relu, unbatched", relu, wave(15, 0.37, false, 5, 3), x -> of(relu.forward(x, null)), new int[] {5, 4},
                50.778438568115234, 10.975790023803711, 0.0, 45.500099182128906, -1.303241491317749, 83.24467134475708);
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0, true);
        matches("lstm, 2 layers, bidirectional", lstm, wave(30, 0.37, false, 5, 2, 3), x -> of(lstm.forward(x, null, null)),
                new int[] {5, 2, 8}, -1.0446175336837769, -3.075343132019043, -9.586023330688477, -4.145191669464111, -0.04587016999721527,
                4.62332783639431);
        LSTM projected = new LSTM(5, 6, 2, true, false, 0, true, 3);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"),
                List.copyOf(projected.namedParameters().keySet()).subList(0, 5));
        assertEquals("LSTM(5, 6, proj_size=3, num_layers=2, bidirectional=True)", projected.toString());
        matches("lstm, proj_size 3, 2 layers, bidirectional, h0 and c0", projected, wave(40, 0.37, false, 4, 2, 5),
                x -> of(projected.forward(x, wave(24, 0.5, true, 4, 2, 3), wave(48, 0.9, false, 4, 2, 6))), new int[] {4, 2, 6},
                -1.5185641050338745, -1.0676946640014648, -1.1074812412261963, -0.5427259206771851, -0.923190176486969, 1.0355635359883308);
        LSTM projectedFirst = new LSTM(3, 5, 1, true, true, 0, false, 2);
        matches("lstm, proj_size 2, batch first", projectedFirst, wave(24, 0.37, false, 2, 4, 3), x -> of(projectedFirst.forward(x, null, null)),
                new int[] {2, 4, 2}, 0.053668320178985596, 0.01714080572128296, -0.9329959750175476, 0.05271022021770477, -0.11079000681638718,
                -3.769648402929306);
        LSTM seeded = new LSTM(3, 4);
        matches("lstm with h0 and c0", seeded, wave(24, 0.37, false, 4, 2, 3),
                x -> of(seeded.forward(x, wave(8, 0.5, true, 1, 2, 4), wave(8, 0.9, false, 1, 2, 4))), new int[] {4, 2, 4},
                -8.79478645324707, -3.551331043243408, -6.996347904205322, -7.282580852508545, 0.009364157915115356, 5.294042468070984);
        GRU gru = new GRU(3, 4, 2, false, false, 0, false);
        matches("gru, 2 layers, no bias", gru, wave(30, 0.37, false, 5, 2, 3), x -> of(gru.forward(x, null)), new int[] {5, 2, 4},
                -1.3045852184295654, -1.3923307657241821, 0.0, -1.1535909175872803, -0.9286286234855652, 0.9002776443958282);
        GRU both = new GRU(3, 4, 1, true, true, 0, true);
        matches("gru, bidirectional, batch first, h0", both, wave(30, 0.37, false, 2, 5, 3), x -> of(both.forward(x, wave(16, 0.5, true, 2, 2, 4))),
                new int[] {2, 5, 8}, -14.863426208496094, -1.6014548540115356, 0.0, -4.197560787200928, 1.2399241924285889, 8.22891048528254);
    }

    @Test
    void cellsMatchPyTorch() {
        RNNCell rnn = new RNNCell(3, 4);
        matches("rnn cell", rnn, wave(6, 0.37, false, 2, 3), x -> {
            Tensor h = rnn.forward(x, null);
            return new Tensor[] {h, h, null};
        }, new int[] {2, 4}, 6.6597900390625, 6.6597900390625, 0.0, 5.833351135253906, 1.1332217454910278, 0.049781590700149536);
        GRUCell gru = new GRUCell(3, 4);
        matches("gru cell with h", gru, wave(6, 0.37, false, 2, 3), x -> {
            Tensor h = gru.forward(x, wave(8, 0.5, true, 2, 4));
            return new Tensor[] {h, h, null};
        }, new int[] {2, 4}, -3.2949423789978027, -3.2949423789978027, 0.0, -2.9487156867980957, -1.5557039976119995, 1.9999533891677856);
        LSTMCell lstm = new LSTMCell(3, 4);
        matches("lstm cell with h and c", lstm, wave(6, 0.37, false, 2, 3), x -> {
            LSTMCell.State s = lstm.forward(x, wave(8, 0.5, true, 2, 4), wave(8, 0.9, false, 2, 4));
            return new Tensor[] {s.h(), s.h(), s.c()};
        }, new int[] {2, 4}, -2.113970994949341, -2.113970994949341, -4.304209232330322, -2.729483127593994, -1.8254250288009644,
                3.7635955810546875);
        Tensor x = Tensor.randn(3);
        assertClose("an unbatched step is the batched step's row", rnn.forward(x), rnn.forward(x.unsqueeze(0)).squeeze(0), 1e-7);
    }

    @Test
    void namesReprsGradientsAndErrors() {
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse",
                "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"), List.copyOf(new LSTM(3, 4, 2, true, false, 0, true).stateDict().keySet()));
        assertArrayEquals(new int[] {16, 8}, new LSTM(3, 4, 2, true, false, 0, true).parameter("weight_ih_l1").shape());
        assertEquals("RNN(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)",
                new RNN(3, 4, 2, "relu", false, true, 0.5, true).toString());
        assertEquals("LSTM(3, 4)", new LSTM(3, 4).toString());
        assertEquals("GRU(3, 4, num_layers=2)", new GRU(3, 4, 2, true, false, 0, false).toString());
        assertEquals("RNNCell(3, 4, bias=False, nonlinearity=relu)", new RNNCell(3, 4, false, "relu").toString());
        assertEquals("GRUCell(3, 4, bias=False)", new GRUCell(3, 4, false).toString());
        double bound = 1 / Math.sqrt(4);
        for (Tensor p : new GRU(3, 4).parameters()) {
            assertEquals(true, p.abs().max().item() <= bound, "U(-1/sqrt(hidden), 1/sqrt(hidden))");
        }
        LSTM lstm = new LSTM(2, 3, 2, true, true, 0, true);
        check(in -> lstm.forward(in[0], null, null).output(), Tensor.randn(2, 3, 2));
        GRU gru = new GRU(2, 3);
        check(in -> gru.forward(in[0], in[1]).hN(), Tensor.randn(3, 1, 2), Tensor.randn(1, 1, 3));
        assertMessage(() -> new LSTM(3, 4).forward(Tensor.ones(5, 2, 2), null, null), "LSTM: expected an input (L, N, 3) or (L, 3), got (5, 2, 2)");
        assertMessage(() -> new GRU(3, 4).forward(Tensor.ones(5, 2, 3), Tensor.ones(1, 3, 4)), "GRU: expected hx of size (1, 2, 4), got (1, 3, 4)");
        assertMessage(() -> new LSTM(3, 4).forward(Tensor.ones(5, 2, 3), Tensor.zeros(1, 2, 4), null), "LSTM: give both h0 and c0, or neither");
        assertMessage(() -> new RNN(3, 4, 1, "sigmoid", true, false, 0, false), "RNN: unknown nonlinearity 'sigmoid'; select from 'tanh' or 'relu'");
        assertMessage(() -> new GRU(3, 4, 2, true, false, 1.5, false), "GRU: dropout should be a number in range [0, 1]");
        assertMessage(() -> new LSTM(3, 4, 1, true, false, 0, false, 4), "LSTM: proj_size has to be smaller than hidden_size, got 4 and 4");
        assertMessage(() -> new LSTM(3, 4, 1, true, false, 0, false, -1), "LSTM: proj_size should be a positive integer or zero");
        assertMessage(() -> new LSTM(3, 4, 1, true, false, 0, false, 2).forward(Tensor.ones(5, 2, 3), Tensor.zeros(1, 2, 4), Tensor.zeros(1, 2, 4)),
                "LSTM: expected hx of size (1, 2, 2), got (1, 2, 4)");
        LSTM projected = new LSTM(2, 3, 1, true, false, 0, false, 2);
        check(in -> projected.forward(in[0], null, null).output(), Tensor.randn(3, 2, 2));
        assertMessage(() -> new LSTMCell(3, 4).forward(Tensor.ones(2, 3), Tensor.ones(3, 4), Tensor.ones(3, 4)),
                "LSTMCell: expected the hidden state of size (2, 4), got (3, 4)");
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0.5, false);
        Tensor x = Tensor.randn(6, 2, 3);
        lstm.eval();
        Tensor a = lstm.forward(x);
        assertClose("eval is deterministic", lstm.forward(x), a, 0);
        lstm.train();
        dev.cortado.tensor.Cortado.manualSeed(1);
        Tensor b = lstm.forward(x);
        dev.cortado.tensor.Cortado.manualSeed(1);
        assertClose("seeded", lstm.forward(x), b, 0);
        org.junit.jupiter.api.Assertions.assertTrue(b.sub(a).abs().max().item() > 1e-3, "training drops activations between the layers");
    }
}
