package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CTC loss against losses and gradient sums PyTorch 1.13 printed for the same log-probabilities (T 7, N 3, C 5). */
class CtcLossTest extends OnReference {
    private static final Tensor PADDED = Tensor.fromArray(new long[] {1, 2, 2, 4, 3, 3, 0, 0, 4, 0, 0, 0}, 3, 4);
    private static final Tensor INPUT_LENGTHS = Tensor.fromArray(new long[] {7, 5, 6}, 3);
    private static final Tensor TARGET_LENGTHS = Tensor.fromArray(new long[] {4, 2, 1}, 3);

    private static Tensor logits() {
        return wave(7 * 3 * 5, 0.37, false, 7, 3, 5).mul(3).requiresGrad_(true);
    }

    /** The loss, weighted as the script weighs it, back-propagated; returns the logits' gradient dotted with a wave. */
    private static double check(String name, Tensor logits, Tensor loss, double[] expected) {
        assertArrayEquals(expected, loss.detach().reshape(-1).toDoubleArray(), 2e-5 * expected[0], name);
        Tensor w = loss.dim() == 0 ? Tensor.scalar(1) : wave(loss.numel(), 0.11, false, loss.shape()).add(1.5);
        loss.mul(w).sum().backward();
        return logits.grad().mul(wave(logits.numel(), 0.77, true, logits.shape())).sum().item();
    }

    @Test
    void lossesAndGradientsArePyTorchs() {
        Tensor x = logits();
        Tensor none = new CTCLoss(0, Reduction.NONE, false).forward(x.logSoftmax(2), PADDED, INPUT_LENGTHS, TARGET_LENGTHS);
        assertEquals(-3.8754239082336426, check("none", x, none, new double[] {13.679585456848145, 7.211920738220215, 4.906694412231445}), 2e-5);

        x = logits();
        Tensor mean = new CTCLoss().forward(x.logSoftmax(2), PADDED, new long[] {7, 5, 6}, new long[] {4, 2, 1});
        assertEquals(-0.4350631833076477, check("mean over target lengths", x, mean, new double[] {3.9775171279907227}), 2e-5);

        x = logits();
        Tensor concatenated = Tensor.fromArray(new long[] {1, 2, 2, 4, 3, 3, 4}, 7);
        Tensor sum = F.ctcLoss(x.logSoftmax(2), concatenated, INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.SUM, false);
        assertEquals(-2.4260921478271484, check("sum, 1-d targets", x, sum, new double[] {25.798200607299805}), 2e-5);

        x = logits();
        Tensor otherBlank = Tensor.fromArray(new long[] {1, 2, 2, 3, 3, 3, 0, 0, 0, 1, 1, 1}, 3, 4);
        Tensor blank4 = F.ctcLoss(x.logSoftmax(2), otherBlank, INPUT_LENGTHS, TARGET_LENGTHS, 4, Reduction.NONE, false);
        assertEquals(-4.6907196044921875, check("blank 4", x, blank4, new double[] {12.51127815246582, 5.999555587768555, 4.6278157234191895}),
                2e-5);

        x = logits();
        Tensor shortest = F.ctcLoss(x.logSoftmax(2), PADDED, Tensor.fromArray(new long[] {7, 3, 6}, 3), TARGET_LENGTHS, 0, Reduction.NONE, false);
        assertEquals(-3.4767367839813232, check("[3, 3] in three frames", x, shortest,
                new double[] {13.679585456848145, 5.720541477203369, 4.906694412231445}), 2e-5);
    }

    @Test
    void aTargetTooLongForItsInputIsInfiniteOrZero() {
        Tensor x = logits();
        Tensor twoFrames = Tensor.fromArray(new long[] {7, 2, 6}, 3);
        Tensor zeroed = F.ctcLoss(x.logSoftmax(2), PADDED, twoFrames, TARGET_LENGTHS, 0, Reduction.NONE, true);
        assertEquals(-2.441331386566162, check("zero_infinity", x, zeroed, new double[] {13.679585456848145, 0, 4.906694412231445}), 2e-5);
        Tensor infinite = F.ctcLoss(logits().logSoftmax(2), PADDED, twoFrames, TARGET_LENGTHS, 0, Reduction.NONE, false);
        assertEquals(Double.POSITIVE_INFINITY, infinite.toDoubleArray()[1]);
        Tensor empty = F.ctcLoss(logits().logSoftmax(2), PADDED, Tensor.fromArray(new long[] {7, 0, 0}, 3), Tensor.fromArray(new long[] {4, 2, 0}, 3),
                0, Reduction.NONE, false);
        assertEquals(Double.POSITIVE_INFINITY, empty.toDoubleArray()[1], "no frames, a label");
        assertEquals(0, empty.toDoubleArray()[2], "no frames, no label: the empty alignment, probability 1");
    }

    @Test
    void unbatchedInputAndPyTorchsGradientOfTheLogProbabilities() {
        Tensor x = wave(7 * 5, 0.37, false, 7, 5).mul(3).requiresGrad_(true);
        Tensor loss = F.ctcLoss(x.logSoftmax(1), Tensor.fromArray(new long[] {1, 2, 2}, 3), Tensor.fromArray(new long[] {6}, 1),
                Tensor.fromArray(new long[] {3}, 1), 0, Reduction.MEAN, false);
        assertEquals(-0.8526594638824463, check("unbatched", x, loss, new double[] {2.8598365783691406}), 2e-5);
        assertArrayEquals(new int[0], loss.shape());

        // With the log-probabilities as the leaf, PyTorch's gradient carries exp(lp), which log_softmax's backward cancels.
        Tensor lp = logits().logSoftmax(2).detach().requiresGrad_(true);
        F.ctcLoss(lp, PADDED, INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.SUM, false).backward();
        assertEquals(-2.426090955734253, lp.grad().mul(wave(lp.numel(), 0.77, true, lp.shape())).sum().item(), 2e-5);
    }

    @Test
    void gradientThroughLogSoftmaxPassesTheCheck() {
        Tensor logits = wave(5 * 2 * 4, 0.61, true, 5, 2, 4);
        Tensor targets = Tensor.fromArray(new long[] {1, 1, 3, 2, 0, 0}, 2, 3);
        Gradcheck.check(in -> F.ctcLoss(in[0].logSoftmax(2), targets, Tensor.fromArray(new long[] {5, 4}, 2), Tensor.fromArray(new long[] {3, 1}, 2),
                0, Reduction.MEAN, false), logits);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Tensor lp = logits().detach().logSoftmax(2);
        assertMessage(() -> F.ctcLoss(lp, PADDED, Tensor.fromArray(new long[] {8, 5, 6}, 3), TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: input length 8 of sample 0 is more than the 7 frames of log_probs (7, 3, 5)");
        assertMessage(() -> F.ctcLoss(lp, PADDED, INPUT_LENGTHS, Tensor.fromArray(new long[] {5, 2, 1}, 3), 0, Reduction.MEAN, false),
                "ctc_loss: target length 5 of sample 0 is more than the 4 columns of targets (3, 4)");
        assertMessage(() -> F.ctcLoss(lp, PADDED.add(3), INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: target 5 at position 1 of sample 0 must be a class in 0..4 other than the blank 0");
        assertMessage(() -> F.ctcLoss(lp, PADDED, INPUT_LENGTHS, Tensor.fromArray(new long[] {4, 3, 1}, 3), 0, Reduction.MEAN, false),
                "ctc_loss: target 0 at position 2 of sample 1 must be a class in 0..4 other than the blank 0");
        assertMessage(() -> F.ctcLoss(lp, PADDED, INPUT_LENGTHS, TARGET_LENGTHS, 5, Reduction.MEAN, false), "ctc_loss: blank 5 must be a class, in 0..4");
        assertMessage(() -> F.ctcLoss(lp, PADDED, Tensor.fromArray(new long[] {7, 5}, 2), TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: input_lengths must be int64 with one length per sample (3), got int64 (2,)");
        assertMessage(() -> F.ctcLoss(lp, PADDED, Tensor.fromArray(new long[] {7, -1, 6}, 3), TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: input_lengths must not be negative, got -1 for sample 1");
        assertMessage(() -> F.ctcLoss(lp, Tensor.fromArray(new long[] {1, 2}, 2), INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: 1-d targets hold 2 labels, but the target lengths add up to 7");
        assertMessage(() -> F.ctcLoss(lp.select(0, 0), PADDED, INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.MEAN, false), "ctc_loss");
        assertMessage(() -> F.ctcLoss(lp.reshape(7, 3, 5, 1), PADDED, INPUT_LENGTHS, TARGET_LENGTHS, 0, Reduction.MEAN, false),
                "ctc_loss: expected log_probs (T, N, C) or (T, C), got (7, 3, 5, 1)");
    }
}
