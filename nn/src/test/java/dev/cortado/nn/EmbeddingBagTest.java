package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** EmbeddingBag against PyTorch 1.13: output sums and the weight's gradient dotted with a wave, for every mode and input form. */
class EmbeddingBagTest extends OnReference {
    private static final Tensor INPUT = Tensor.fromArray(new long[] {1, 2, 4, 5, 4, 3, 2, 9, 2, 2}, 10);
    /** Four bags, the second empty. */
    private static final Tensor OFFSETS = Tensor.fromArray(new long[] {0, 4, 4, 7}, 4);

    private static void matches(String name, EmbeddingBag m, java.util.function.Supplier<Tensor> run, int bags, double sum, double grad) {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            m.weight.copy_(wave(m.weight.numel(), 0.13, true, m.weight.shape()).mul(0.5));
        }
        Tensor y = run.get();
        assertArrayEquals(new int[] {bags, 3}, y.shape(), name + " shape");
        y.mul(wave(y.numel(), 0.11, false, y.shape())).sum().backward();
        assertEquals(sum, y.sum().item(), 2e-6 * (1 + Math.abs(sum)), name + " sum");
        assertEquals(grad, m.weight.grad().mul(wave(m.weight.numel(), 0.77, true, m.weight.shape())).sum().item(), 2e-6 * (1 + Math.abs(grad)),
                name + " weight gradient");
    }

    @Test
    void everyModeAndInputFormMatchesPyTorch() {
        EmbeddingBag sum = new EmbeddingBag(10, 3, EmbeddingBag.Mode.SUM, false, null);
        matches("sum", sum, () -> sum.forward(INPUT, OFFSETS), 4, 2.9631829261779785, 0.9411493539810181);
        EmbeddingBag mean = new EmbeddingBag(10, 3);
        matches("mean", mean, () -> mean.forward(INPUT, OFFSETS), 4, 0.8789478540420532, 0.2997690737247467);
        EmbeddingBag max = new EmbeddingBag(10, 3, EmbeddingBag.Mode.MAX, false, null);
        matches("max", max, () -> max.forward(INPUT, OFFSETS), 4, 3.1252856254577637, 2.279594898223877);
        EmbeddingBag mean2d = new EmbeddingBag(10, 3);
        matches("mean of a 2-d input", mean2d, () -> mean2d.forward(Tensor.fromArray(new long[] {1, 2, 4, 4, 3, 9}, 2, 3)), 2,
                0.3146577477455139, -0.6295207142829895);
        EmbeddingBag maxPad = new EmbeddingBag(10, 3, EmbeddingBag.Mode.MAX, false, 2);
        matches("max, padding_idx, a bag of padding only", maxPad, () -> maxPad.forward(Tensor.fromArray(new long[] {1, 2, 4, 2, 2, 2}, 2, 3)), 2,
                1.2944059371948242, -0.2752935290336609);
        EmbeddingBag meanPad = new EmbeddingBag(10, 3, EmbeddingBag.Mode.MEAN, true, 2);
        matches("mean, include_last_offset, padding_idx", meanPad, () -> meanPad.forward(INPUT, Tensor.fromArray(new long[] {0, 4, 4, 7, 10}, 5)), 4,
                -1.0693273544311523, -2.6320133209228516);
        // Entries past the last offset belong to no bag. (PyTorch 1.13 then still counts one of
        // them into the last bag's mean: [9, 2] with the padding 2 past the end gives W[9] / 2.)
        EmbeddingBag cut = new EmbeddingBag(10, 3, EmbeddingBag.Mode.MEAN, true, 2);
        Tensor lastBag = cut.forward(INPUT, Tensor.fromArray(new long[] {0, 4, 4, 7, 9}, 5)).select(0, 3);
        assertArrayEquals(cut.weight.select(0, 9).toFloatArray(), lastBag.toFloatArray(), 0f, "the mean of [9, padding]");
        EmbeddingBag weighted = new EmbeddingBag(10, 3, EmbeddingBag.Mode.SUM, false, null);
        matches("sum with per_sample_weights", weighted, () -> weighted.forward(INPUT, OFFSETS, wave(10, 0.5, false, 10)), 4,
                -1.3570940494537354, -2.404705762863159);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            sum.weight.copy_(wave(30, 0.13, true, 10, 3).mul(0.5));
            assertArrayEquals(new float[] {0.6382189989089966f, 0.4375807046890259f, 0.22955763339996338f, 0, 0, 0, 0.5559307336807251f,
                    0.38116157054901123f, 0.19995984435081482f, 0.24446246027946472f, 0.17457321286201477f, 0.10173788666725159f},
                    sum.forward(INPUT, OFFSETS).toFloatArray(), 1e-6f, "the empty bag gives zeros");
        }
        assertEquals("EmbeddingBag(10, 3, mode=mean)", new EmbeddingBag(10, 3).toString());
        assertEquals("EmbeddingBag(10, 3, mode=max, padding_idx=2)", maxPad.toString());
    }

    @Test
    void badInputsAreRefusedByName() {
        EmbeddingBag m = new EmbeddingBag(10, 3);
        assertMessage(() -> m.forward(INPUT), "EmbeddingBag: a 1-d input needs 1-d int64 offsets");
        assertMessage(() -> m.forward(Tensor.fromArray(new long[] {1, 2, 3, 4}, 2, 2), OFFSETS), "EmbeddingBag: with a 2-d input (2, 2)",
                "offsets must be null");
        assertMessage(() -> m.forward(INPUT, Tensor.fromArray(new long[] {1, 4}, 2)), "EmbeddingBag: offsets[0] must be 0");
        assertMessage(() -> m.forward(INPUT, Tensor.fromArray(new long[] {0, 5, 3}, 3)), "EmbeddingBag: offsets must be non-decreasing");
        assertMessage(() -> m.forward(INPUT, Tensor.fromArray(new long[] {0, 11}, 2)), "at most the input's length 10");
        assertMessage(() -> m.forward(Tensor.fromArray(new long[] {1, 10}, 2), Tensor.fromArray(new long[] {0}, 1)),
                "EmbeddingBag(10, 3): indices must be in 0..9, got 10 at position 1");
        assertMessage(() -> m.forward(INPUT, OFFSETS, Tensor.ones(10)), "per_sample_weights is only supported for mode='sum', got mode='mean'");
        EmbeddingBag s = new EmbeddingBag(10, 3, EmbeddingBag.Mode.SUM, false, null);
        assertMessage(() -> s.forward(INPUT, OFFSETS, Tensor.ones(9)), "per_sample_weights (9,) must have the input's shape (10,)");
        assertMessage(() -> m.forward(Tensor.ones(4)), "EmbeddingBag: input must be int64, got float32");
        assertMessage(() -> new EmbeddingBag(10, 3, EmbeddingBag.Mode.SUM, false, 10), "padding_idx must be within num_embeddings (10)");
    }
}
