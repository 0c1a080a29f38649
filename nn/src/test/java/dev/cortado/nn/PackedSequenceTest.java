package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.nn.RecurrentTest.matches;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Packing and padding against PyTorch 1.13's {@code torch.nn.utils.rnn}, and the recurrent
 * layers over packed batches: the packed outputs, final states and gradients of the padded input
 * and the parameters, summed as {@link RecurrentTest} does.
 */
class PackedSequenceTest extends OnReference {

    private static Tensor[] packed(RNNBase.PackedResult r) {
        return new Tensor[] {r.output().data(), r.hN(), r.cN()};
    }

    @Test
    void packingAndPaddingMatchPyTorch() {
        Tensor x = wave(24, 0.37, false, 4, 3, 2);
        PackedSequence p = PackedSequence.packPaddedSequence(x, new int[] {2, 4, 1}, false, false);
        assertClose("data", p.data().reshape(-1), Tensor.fromArray(new double[] {0.6742879152297974, 0.8956986665725708, 0.0,
            0.36161544919013977, 0.9958808422088623, 0.9612752199172974, 0.1805962324142456, -0.1872945874929428, 0.7965654730796814,
            0.5240442156791687, -0.8926475644111633, -0.6692396998405457, 0.898708164691925, 0.9964756369590759}, 14), 1e-6);
        assertArrayEquals(new long[] {3, 2, 1, 1}, p.batchSizes().toLongArray());
        assertArrayEquals(new long[] {1, 0, 2}, p.sortedIndices().toLongArray());
        assertArrayEquals(new long[] {1, 0, 2}, p.unsortedIndices().toLongArray());
        PackedSequence.Padded padded = PackedSequence.padPackedSequence(p, true, -1, 5);
        assertArrayEquals(new int[] {3, 5, 2}, padded.output().shape());
        assertClose("padded", padded.output().reshape(-1), Tensor.fromArray(new double[] {0.0, 0.36161544919013977, 0.7965654730796814,
            0.5240442156791687, -1, -1, -1, -1, -1, -1, 0.6742879152297974, 0.8956986665725708, 0.1805962324142456, -0.1872945874929428,
            -0.8926475644111633, -0.6692396998405457, 0.898708164691925, 0.9964756369590759, -1, -1, 0.9958808422088623, 0.9612752199172974,
            -1, -1, -1, -1, -1, -1, -1, -1}, 30), 1e-6);
        assertArrayEquals(new long[] {2, 4, 1}, padded.lengths().toLongArray());
        assertClose("pad then unpad is the input's steps", PackedSequence.padPackedSequence(p, false).output().narrow(1, 1, 1), x.narrow(1, 1, 1), 0);

        Tensor a = wave(4, 0.3, false, 2, 2);
        Tensor b = wave(6, 0.5, true, 3, 2);
        Tensor c = wave(2, 0.7, false, 1, 2);
        assertClose("pad_sequence", PackedSequence.padSequence(List.of(a, b, c), true, 9).reshape(-1), Tensor.fromArray(new double[] {0.0,
            0.29552021622657776, 0.5646424889564514, 0.7833269238471985, 9, 9, 1.0, 0.8775825500488281, 0.5403022766113281,
            0.07073719799518585, -0.416146844625473, -0.8011435866355896, 0.0, 0.6442176699638367, 9, 9, 9, 9}, 18), 1e-6);
        PackedSequence sorted = PackedSequence.packSequence(List.of(b, a), true);
        assertClose("pack_sequence", sorted.data().reshape(-1), Tensor.fromArray(new double[] {1.0, 0.8775825500488281, 0.0,
            0.29552021622657776, 0.5403022766113281, 0.07073719799518585, 0.5646424889564514, 0.7833269238471985, -0.416146844625473,
            -0.8011435866355896}, 10), 1e-6);
        assertArrayEquals(new long[] {2, 2, 1}, sorted.batchSizes().toLongArray());
        assertNull(sorted.sortedIndices(), "a batch given sorted keeps no permutation");
        check(in -> PackedSequence.packPaddedSequence(in[0], new int[] {2, 4, 1}, false, false).data(), wave(24, 0.37, false, 4, 3, 2));
        check(in -> PackedSequence.padPackedSequence(PackedSequence.packSequence(List.of(in[0], in[1]), false), true).output(), a, b);
    }

    @Test
    void recurrentLayersOverPackedBatchesMatchPyTorch() {
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0, true);
        matches("lstm, 2 layers, bidirectional, unsorted", lstm, wave(36, 0.37, false, 4, 3, 3),
                x -> packed(lstm.forward(PackedSequence.packPaddedSequence(x, new int[] {4, 2, 3}, false, false), null, null)), new int[] {9, 8},
                -0.9845614433288574, -4.332206726074219, -12.150711059570312, -5.835733413696289, -0.313590943813324, 5.408943511545658);
        GRU gru = new GRU(3, 4, 1, true, true, 0, false);
        matches("gru, batch first, sorted, h0", gru, wave(45, 0.37, false, 3, 5, 3),
                x -> packed(gru.forward(PackedSequence.packPaddedSequence(x, new int[] {5, 3, 1}, true, true), wave(12, 0.5, true, 1, 3, 4))),
                new int[] {9, 4}, -11.583827018737793, -2.05580735206604, 0.0, -7.749892234802246, 0.1392430067062378, 1.7267211377620697);
        RNN rnn = new RNN(3, 4, 1, "relu", true, false, 0, true);
        matches("rnn relu, bidirectional, equal lengths", rnn, wave(36, 0.37, false, 3, 4, 3),
                x -> packed(rnn.forward(PackedSequence.packPaddedSequence(x, new int[] {2, 3, 2, 1}, false, false), null)), new int[] {8, 8},
                58.77138900756836, 27.993234634399414, 0.0, 11.91252326965332, -1.6590267419815063, 22.22727769613266);
        LSTM projected = new LSTM(3, 5, 1, true, false, 0, false, 2);
        matches("lstm, proj_size 2, h0 and c0", projected, wave(36, 0.37, false, 4, 3, 3),
                x -> packed(projected.forward(PackedSequence.packPaddedSequence(x, new int[] {2, 4, 1}, false, false), wave(6, 0.5, true, 1, 3, 2),
                        wave(15, 0.9, false, 1, 3, 5))), new int[] {7, 2},
                0.0388239324092865, -0.010384812951087952, -1.4184015989303589, -0.06717380881309509, -0.33896833658218384, -4.214642211794853);
    }

    /** A sequence alone gives what it gives in a packed batch with longer ones: its padding never reaches its states. */
    @Test
    void aSequenceInAPackedBatchIsTheSequenceAlone() {
        GRU gru = new GRU(2, 3, 2, true, false, 0, true);
        Tensor x = Tensor.randn(5, 3, 2);
        RNNBase.PackedResult all = gru.forward(PackedSequence.packPaddedSequence(x, new int[] {3, 5, 2}, false, false), null);
        RNNBase.Result alone = gru.forward(x.narrow(1, 0, 1).narrow(0, 0, 3), null);
        Tensor padded = PackedSequence.padPackedSequence(all.output(), false).output();
        assertClose("outputs", padded.narrow(1, 0, 1).narrow(0, 0, 3), alone.output(), 1e-6);
        assertClose("zeros past the end", padded.narrow(1, 0, 1).narrow(0, 3, 2), Tensor.zeros(2, 1, 6), 0);
        assertClose("h_n", all.hN().narrow(1, 0, 1), alone.hN(), 1e-6);
    }

    @Test
    void errors() {
        Tensor x = Tensor.zeros(4, 3, 2);
        assertMessage(() -> PackedSequence.packPaddedSequence(x, new int[] {2, 3}, false, true),
                "pack_padded_sequence: expected len(lengths) to be equal to batch_size, but got 2 (batch_size=3)");
        assertMessage(() -> PackedSequence.packPaddedSequence(x, new int[] {3, 0, 1}, false, false),
                "pack_padded_sequence: length of all samples has to be greater than 0, but found 0 in [3, 0, 1]");
        assertMessage(() -> PackedSequence.packPaddedSequence(x, new int[] {5, 3, 1}, false, true),
                "pack_padded_sequence: a length of 5 in [5, 3, 1] exceeds the 4 steps of the input (4, 3, 2)");
        assertMessage(() -> PackedSequence.packPaddedSequence(x, new int[] {2, 3, 1}, false, true),
                "pack_padded_sequence: lengths [2, 3, 1] must be sorted in decreasing order when enforce_sorted is true");
        assertMessage(() -> PackedSequence.packPaddedSequence(Tensor.zeros(3, 0, 1), new int[0], false, true),
                "pack_padded_sequence: cannot pack empty tensors, got (3, 0, 1)");
        assertMessage(() -> PackedSequence.packPaddedSequence(Tensor.zeros(4), new int[] {4}, false, true),
                "pack_padded_sequence: expected an input (T, B, *), got (4,)");
        assertMessage(() -> PackedSequence.packPaddedSequence(x, Tensor.zeros(3), false, true),
                "pack_padded_sequence: lengths must be a 1-d int64 tensor, got float32 (3,)");
        PackedSequence p = PackedSequence.packPaddedSequence(x, new int[] {4, 3, 1}, false, true);
        assertMessage(() -> PackedSequence.padPackedSequence(p, false, 0, 3),
                "pad_packed_sequence: expected total_length to be at least the length of the longest sequence in input, but got total_length=3 "
                        + "and max sequence length being 4");
        assertMessage(() -> PackedSequence.padSequence(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), false, 0),
                "pad_sequence: every sequence must be (L, *) with one trailing shape, got (2, 3) and (2, 4)");
        assertMessage(() -> PackedSequence.padSequence(List.of(), false, 0), "pad_sequence: received an empty list of sequences");
        assertMessage(() -> new GRU(3, 4).forward(p, null), "GRU: expected packed data (total length, 3), got (8, 2)");
        assertMessage(() -> new LSTM(2, 4).forward(p, Tensor.zeros(1, 2, 4), Tensor.zeros(1, 3, 4)), "LSTM: expected hx of size (1, 3, 4), got (1, 2, 4)");
    }
}
