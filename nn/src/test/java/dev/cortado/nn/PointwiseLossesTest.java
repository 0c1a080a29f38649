package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** L1, smooth L1, Huber, BCE and KL divergence against what PyTorch 1.13 prints for the same inputs and calls. */
class PointwiseLossesTest extends OnReference {
    private static Tensor input() {
        return Tensor.fromArray(new float[] {0.5f, -1.5f, 2, 0.25f, 3, -0.75f}, 2, 3);
    }

    private static final Tensor TARGET = Tensor.fromArray(new float[] {1, -1, 0, 0.25f, 0.5f, 1}, 2, 3);

    /** The loss and the gradient of its sum with respect to the input. */
    private static void matches(String what, Function<Tensor, Tensor> loss, Tensor input, double value, double... grad) {
        Tensor x = input.detach().requiresGrad_(true);
        Tensor l = loss.apply(x);
        l.sum().backward();
        double[] got = l.toDoubleArray();
        assertEquals(value, got.length == 1 ? got[0] : java.util.Arrays.stream(got).sum(), 2e-6 * (1 + Math.abs(value)), what + " value");
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < grad.length; i++) {
            assertEquals(grad[i], g[i], 2e-6 * (1 + Math.abs(grad[i])), what + " gradient " + i);
        }
    }

    @Test
    void l1SmoothL1AndHuberMatchPyTorch() {
        double s = 1 / 6.0;
        double h = s / 2;
        matches("l1", x -> F.l1Loss(x, TARGET), input(), 1.2083333730697632, -s, -s, s, 0, s, -s);
        matches("l1 sum", x -> F.l1Loss(x, TARGET, Reduction.SUM), input(), 7.25, -1, -1, 1, 0, 1, -1);
        matches("smooth l1", x -> F.smoothL1Loss(x, TARGET), input(), 0.8333333134651184, -h, -h, s, 0, s, -s);
        matches("smooth l1 beta 0.5", x -> F.smoothL1Loss(x, TARGET, Reduction.MEAN, 0.5), input(), 1.0, -s, -s, s, 0, s, -s);
        // beta 0 is L1. PyTorch 1.13 gives -1/6 as the gradient at the zero difference (index 3)
        // here, where its l1_loss gives 0; Cortado gives L1's 0 for both.
        matches("smooth l1 beta 0", x -> F.smoothL1Loss(x, TARGET, Reduction.MEAN, 0), input(), 1.2083333730697632, -s, -s, s, 0, s, -s);
        matches("huber", x -> F.huberLoss(x, TARGET), input(), 0.8333333134651184, -h, -h, s, 0, s, -s);
        matches("huber delta 2", x -> F.huberLoss(x, TARGET, Reduction.MEAN, 2), input(), 1.1302083730697632, -h, -h, 2 * s, 0, 2 * s,
                -0.2916666865348816);
        Tensor none = F.huberLoss(input(), TARGET, Reduction.NONE, 1);
        assertEquals(6, none.numel());
    }

    @Test
    void binaryCrossEntropyMatchesPyTorchAtTheEdgesToo() {
        Tensor p = Tensor.fromArray(new float[] {0.9f, 0.2f, 0, 1, 0.5f, 1e-30f}, 2, 3);
        Tensor t = Tensor.fromArray(new float[] {1, 0, 0, 1, 0.3f, 1}, 2, 3);
        matches("bce mean", x -> F.binaryCrossEntropy(x, t), p, 11.68320083618164, -0.18518519401550293, 0.2083333134651184, 0, 0,
                0.13333332538604736, -166666665984.0);
        matches("bce none", x -> F.binaryCrossEntropy(x, t, null, Reduction.NONE), p, 0.10536054521799088 + 0.2231435328722 + 0.6931471824645996
                + 69.07755279541016, -1.1111111640930176, 1.2499998807907104, 0, 0, 0.7999999524, -999999995904.0);
        Tensor w = Tensor.fromArray(new float[] {2, 1, 0.5f}, 3);
        matches("bce weight", x -> F.binaryCrossEntropy(x, t, w, Reduction.MEAN), p, 5.944298267364502, -0.37037038803100586,
                0.2083333134651184, 0, 0, 0.13333332538604736, -83333332992.0);
        assertMessage(() -> F.binaryCrossEntropy(Tensor.fromArray(new float[] {1.5f}, 1), Tensor.ones(1)),
                "binary_cross_entropy: all elements of input should be between 0 and 1", "1.5");
        assertMessage(() -> F.binaryCrossEntropy(Tensor.fromArray(new float[] {Float.NaN}, 1), Tensor.ones(1)),
                "between 0 and 1");
        assertMessage(() -> F.binaryCrossEntropy(p, t, Tensor.ones(2), Reduction.MEAN), "binary_cross_entropy");
        assertMessage(() -> F.binaryCrossEntropy(p, t, Tensor.ones(2, 2, 3), Reduction.MEAN), "weight (2, 2, 3) must broadcast");
    }

    @Test
    void klDivergenceMatchesPyTorchForEachReduction() {
        Tensor lp = Tensor.fromArray(new float[] {1, 2, 0.5f, 0.1f, -1, 3}, 2, 3).logSoftmax(1);
        Tensor q = Tensor.fromArray(new float[] {0.2f, 0.8f, 0, 0.1f, 0.3f, 0.6f}, 2, 3);
        matches("mean", x -> F.klDiv(x, q), lp, 0.13779915869235992, -0.2 / 6, -0.8 / 6, 0, -0.1 / 6, -0.3 / 6, -0.6 / 6);
        matches("batchmean", x -> F.klDiv(x, q, Reduction.BATCHMEAN, false), lp, 0.41339749097824097, -0.1, -0.4, 0, -0.05, -0.15, -0.3);
        matches("sum", x -> F.klDiv(x, q, Reduction.SUM, false), lp, 0.8267949819564819, -0.2, -0.8, 0, -0.1, -0.3, -0.6);
        matches("none", x -> F.klDiv(x, q, Reduction.NONE, false), lp, 0.8267949819564819, -0.2, -0.8, 0, -0.1, -0.3, -0.6);
        Tensor logQ = Tensor.fromArray(new float[] {0.2f, 0.8f, 0.5f, 0.1f, 0.3f, 0.6f}, 2, 3).log();
        matches("log target", x -> F.klDiv(x, logQ, Reduction.BATCHMEAN, true), lp, (0.2 * Math.log(0.2) + 0.8 * Math.log(0.8) + 0.5 * Math.log(0.5)
                + 0.1 * Math.log(0.1) + 0.3 * Math.log(0.3) + 0.6 * Math.log(0.6) - sumProduct(new double[] {0.2, 0.8, 0.5, 0.1, 0.3, 0.6}, lp)) / 2,
                -0.1, -0.4, -0.25, -0.05, -0.15, -0.3);
        assertMessage(() -> F.mseLoss(lp, q, Reduction.BATCHMEAN), "reduction BATCHMEAN is only for kl_div");
        assertMessage(() -> F.crossEntropy(lp, q, null, -100, Reduction.BATCHMEAN, 0), "reduction BATCHMEAN is only for kl_div");
    }

    private static double sumProduct(double[] a, Tensor b) {
        double[] v = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * v[i];
        }
        return s;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = input();
        Tensor y = Tensor.fromArray(new float[] {1.1f, -1, 0.1f, 0.6f, 0.5f, 1}, 2, 3);
        check(in -> F.l1Loss(in[0], in[1]), x, y);
        check(in -> F.smoothL1Loss(in[0], in[1], Reduction.SUM, 0.7), x, y);
        check(in -> F.huberLoss(in[0], in[1], Reduction.NONE, 0.8), x, y);
        Tensor p = Tensor.fromArray(new float[] {0.9f, 0.2f, 0.4f, 0.7f, 0.5f, 0.05f}, 2, 3);
        Tensor t = Tensor.fromArray(new float[] {1, 0, 0.2f, 1, 0.3f, 0.6f}, 2, 3);
        check(in -> F.binaryCrossEntropy(in[0], in[1], Tensor.fromArray(new float[] {2, 1, 0.5f}, 3), Reduction.SUM), p, t);
        Tensor lp = Tensor.fromArray(new float[] {1, 2, 0.5f, 0.1f, -1, 3}, 2, 3).logSoftmax(1);
        Tensor q = Tensor.fromArray(new float[] {0.2f, 0.5f, 0.3f, 0.1f, 0.3f, 0.6f}, 2, 3);
        check(in -> F.klDiv(in[0], in[1], Reduction.BATCHMEAN, false), lp, q);
        check(in -> F.klDiv(in[0], in[1], Reduction.SUM, true), lp, q.log());
    }

    @Test
    void modulesCarryTheirSettings() {
        Tensor x = input();
        assertEquals(F.smoothL1Loss(x, TARGET, Reduction.SUM, 0.5).item(), new SmoothL1Loss(Reduction.SUM, 0.5).forward(x, TARGET).item());
        assertEquals(F.huberLoss(x, TARGET, Reduction.MEAN, 2).item(), new HuberLoss(Reduction.MEAN, 2).forward(x, TARGET).item());
        assertEquals(F.l1Loss(x, TARGET).item(), new L1Loss().forward(x, TARGET).item());
        Tensor p = Tensor.fromArray(new float[] {0.9f, 0.2f, 0.4f}, 3);
        Tensor t = Tensor.fromArray(new float[] {1, 0, 0.5f}, 3);
        assertEquals(F.binaryCrossEntropy(p, t).item(), new BCELoss().forward(p, t).item());
        assertEquals(F.klDiv(p.log(), t, Reduction.BATCHMEAN, false).item(), new KLDivLoss(Reduction.BATCHMEAN, false).forward(p.log(), t).item());
        assertMessage(() -> F.smoothL1Loss(x, TARGET, Reduction.MEAN, -1), "smooth_l1_loss: beta must be at least 0, got -1.0");
        assertMessage(() -> F.huberLoss(x, TARGET, Reduction.MEAN, 0), "huber_loss: delta must be greater than 0, got 0.0");
        assertMessage(() -> F.l1Loss(x, Tensor.ones(3)), "l1_loss: target size (3,) must be the same as input size (2, 3)");
    }
}
