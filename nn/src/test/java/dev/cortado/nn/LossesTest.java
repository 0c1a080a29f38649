package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Losses against values printed by PyTorch 1.13 for logits ((7i mod 11) − 5) / 3, i < 12, as (4, 3). */
class LossesTest extends OnReference {
    private static final float[] LOGITS = {-1.666667f, 0.6666667f, -0.6666667f, 1.666667f, 0.3333333f, -1f, 1.333333f, 0f,
        -1.333333f, 1f, -0.3333333f, -1.666667f};

    private static Tensor x() {
        return Tensor.fromArray(LOGITS, 4, 3);
    }

    private static final Tensor T = Tensor.fromArray(new long[] {0, 2, 1, 2}, new int[] {4}, ReferenceBackend.DEVICE);

    private static void near(String what, Tensor actual, double expected) {
        assertEquals(expected, actual.item(), 2e-6 * (1 + Math.abs(expected)), what);
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        Tensor w = Tensor.tensor(new float[] {1, 2, 0.5f});
        near("mean", F.crossEntropy(x(), T), 2.542595);
        near("sum", F.crossEntropy(x(), T, null, -100, Reduction.SUM, 0), 10.17038);
        assertClose("none", F.crossEntropy(x(), T, null, -100, Reduction.NONE, 0),
                Tensor.tensor(new float[] {2.641236f, 2.954159f, 1.620826f, 2.954159f}), 2e-6);
        near("label smoothing", F.crossEntropy(x(), T, null, -100, Reduction.MEAN, 0.1), 2.44815);
        near("ignore_index", F.crossEntropy(x(), T, null, 1, Reduction.MEAN, 0), 2.849852);
        near("weight", F.crossEntropy(x(), T, w, -100, Reduction.MEAN, 0), 2.209262);
        near("weight, ignore, smoothing", F.crossEntropy(x(), T, w, 2, Reduction.MEAN, 0.2), 1.770634);
        Tensor probs = Tensor.arange(12).reshape(4, 3).to(dev.cortado.tensor.DType.FLOAT32).div(4).softmax(1);
        near("probability targets", F.crossEntropy(x(), probs, null, -100, Reduction.MEAN, 0.1), 1.730872);
        near("module", new CrossEntropyLoss().forward(x(), T), 2.542595);
    }

    @Test
    void crossEntropyGradientMatchesPyTorch() {
        Tensor l = x().requiresGrad_(true);
        F.crossEntropy(l, T, Tensor.tensor(new float[] {1, 2, 0.5f}), -100, Reduction.MEAN, 0.1).backward();
        assertClose("grad", l.grad(), Tensor.fromArray(new float[] {-0.2152181f, 0.1701424f, 0.04507567f, 0.09793682f, 0.01134584f,
            -0.1092827f, 0.3511098f, -0.3719185f, 0.02080868f, 0.09793682f, 0.01134584f, -0.1092827f}, 4, 3), 2e-6);
    }

    /** Logits masked with -inf, and a batch whose every row is ignored: PyTorch 1.13's values. */
    @Test
    void crossEntropyOfMaskedLogitsAndOfIgnoredRowsMatchesPyTorch() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor masked = Tensor.fromArray(new float[] {-inf, 0, 1, 2, -inf, 0.5f, 0.3f, 0.2f, 0.1f}, 3, 3);
        Tensor t = Tensor.fromArray(new long[] {1, 0, -100}, new int[] {3}, ReferenceBackend.DEVICE);
        assertClose("none", F.crossEntropy(masked, t, null, -100, Reduction.NONE, 0),
                Tensor.tensor(new float[] {1.313262f, 0.2014133f, 0}), 2e-6);
        Tensor l = masked.detach().requiresGrad_(true);
        Tensor mean = F.crossEntropy(l, t);
        mean.backward();
        near("mean", mean, 0.7573375);
        assertClose("mean's gradient", l.grad(), Tensor.fromArray(new float[] {0, -0.3655293f, 0.3655293f, -0.09121278f, 0, 0.09121275f,
            0, 0, 0}, 3, 3), 2e-6);
        Tensor ls = masked.detach().requiresGrad_(true);
        Tensor smoothed = F.crossEntropy(ls, t, null, -100, Reduction.MEAN, 0.1);
        smoothed.backward();
        assertEquals(inf, smoothed.item(), "label smoothing averages the -inf log-probabilities in");
        assertClose("smoothed gradient", ls.grad(), Tensor.fromArray(new float[] {-0.01666667f, -0.3321959f, 0.3488626f, -0.05787945f,
            -0.01666667f, 0.07454608f, 0, 0, 0}, 3, 3), 2e-6);

        Tensor none = Tensor.fromArray(new long[] {-100, -100, -100}, new int[] {3}, ReferenceBackend.DEVICE);
        for (double smoothing : new double[] {0, 0.1}) {
            Tensor li = masked.detach().requiresGrad_(true);
            Tensor noRows = F.crossEntropy(li, none, null, -100, Reduction.MEAN, smoothing);
            noRows.backward();
            assertEquals(Double.NaN, noRows.item(), "a mean over no rows (smoothing " + smoothing + ")");
            assertClose("its gradient (smoothing " + smoothing + ")", li.grad(), Tensor.zeros(3, 3), 0);
        }
    }

    @Test
    void crossEntropyOverSpatialDimsAndUnbatched() {
        Tensor img = dev.cortado.testing.Inputs.randn(3, ReferenceBackend.DEVICE, 2, 3, 2, 2);
        Tensor target = Tensor.fromArray(new long[] {0, 1, 2, 1, 2, 0, 0, 1}, new int[] {2, 2, 2}, ReferenceBackend.DEVICE);
        Tensor rows = img.permute(0, 2, 3, 1).reshape(8, 3);
        assertClose("(N, C, H, W)", F.crossEntropy(img, target), F.crossEntropy(rows, target.reshape(8)), 1e-12);
        assertEquals(2, F.crossEntropy(img, target, null, -100, Reduction.NONE, 0).dim() - 1);
        Tensor one = F.crossEntropy(x().select(0, 1), Tensor.fromArray(new long[] {2}, new int[] {1}, ReferenceBackend.DEVICE).reshape());
        near("unbatched", one, 2.954159);
    }

    @Test
    void otherLossesMatchPyTorch() {
        Tensor xb = Tensor.tensor(new float[] {-3, -0.5f, 0, 0.5f, 3, 40});
        Tensor yb = Tensor.tensor(new float[] {0, 1, 1, 0, 1, 0});
        Tensor l = xb.detach().requiresGrad_(true);
        Tensor bce = F.binaryCrossEntropyWithLogits(l, yb);
        bce.backward();
        near("bce", bce, 7.123079);
        assertClose("bce grad (exact at 0)", l.grad(), Tensor.tensor(new float[] {0.007904313f, -0.1037432f, -0.08333334f, 0.1037432f,
            -0.007904311f, 0.1666667f}), 2e-6);
        Tensor l2 = xb.detach().requiresGrad_(true);
        Tensor pw = new BCEWithLogitsLoss(Reduction.SUM, Tensor.tensor(new float[] {2.5f})).forward(l2, yb);
        pw.backward();
        near("bce pos_weight", pw, 45.31219);
        assertClose("bce pos_weight grad", l2.grad(), Tensor.tensor(new float[] {0.04742587f, -1.556148f, -1.25f, 0.6224594f,
            -0.1185646f, 1f}), 2e-6);
        // Far from 0 the gradient is σ(x) itself, not 1 − σ(−x) rounded to 0; in float32, on the CPU, as PyTorch rounds it.
        dev.cortado.tensor.Device cpu = dev.cortado.tensor.Device.CPU;
        Tensor far = Tensor.fromArray(new float[] {-20, 20, -30, 30}, new int[] {4}, cpu);
        Tensor farY = Tensor.fromArray(new float[] {0, 1, 0, 1}, new int[] {4}, cpu);
        for (Tensor posWeight : new Tensor[] {null, Tensor.fromArray(new float[] {2.5f}, new int[] {1}, cpu)}) {
            Tensor lf = far.detach().requiresGrad_(true);
            F.binaryCrossEntropyWithLogits(lf, farY, posWeight, Reduction.SUM).backward();
            assertClose("bce grad far from 0 (pos_weight " + (posWeight != null) + ")", lf.grad(),
                    Tensor.fromArray(new float[] {2.061154e-9f, 0, 9.357624e-14f, 0}, new int[] {4}, cpu), 1e-15);
        }
        near("mse", new MSELoss().forward(xb, yb), (9 + 2.25 + 1 + 0.25 + 4 + 1600) / 6.0);
        near("nll", new NLLLoss().forward(x().logSoftmax(1), T), 2.542595);
    }

    @Test
    void gradients() {
        Tensor w = Tensor.tensor(new float[] {1, 2, 0.5f});
        check(in -> F.crossEntropy(in[0], T, w, 2, Reduction.MEAN, 0.2), x());
        check(in -> F.crossEntropy(in[0], in[1].softmax(1), null, -100, Reduction.SUM, 0), x(), x().flip(0));
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], Tensor.tensor(new float[] {0.5f, 2, 3}), Reduction.MEAN),
                x().mul(2), x().sigmoid());
        check(in -> F.mseLoss(in[0], in[1], Reduction.SUM), x(), x().flip(1));
        check(in -> F.nllLoss(in[0], T, null, 0, Reduction.MEAN), x());
        check(in -> F.linear(in[0], in[1], in[2]), x(), x().flip(0).narrow(0, 0, 2), Tensor.tensor(new float[] {0.5f, -1}));
        check(in -> {
            Cortado.manualSeed(7);
            return F.dropout(in[0], 0.4, true);
        }, x());
    }

    @Test
    void errorsNameTheRule() {
        assertMessage(() -> F.crossEntropy(x(), Tensor.fromArray(new long[] {0, 3, 1, 2}, new int[] {4}, ReferenceBackend.DEVICE)),
                "cross_entropy", "target 3", "out of bounds for 3 classes");
        Tensor valid = Tensor.fromArray(new long[] {0, 2, 1, 2}, new int[] {4}, ReferenceBackend.DEVICE);
        try (var g = dev.cortado.autograd.GradMode.off()) {
            valid.add_(1); // written in place on the device: its targets must be read and checked again
        }
        assertMessage(() -> F.crossEntropy(x(), valid), "cross_entropy", "target 3 at position 1", "out of bounds for 3 classes");
        assertMessage(() -> F.crossEntropy(x(), T.add(2)), "cross_entropy", "out of bounds for 3 classes");
        assertMessage(() -> F.crossEntropy(x(), Tensor.fromArray(new long[] {0, 1}, new int[] {2}, ReferenceBackend.DEVICE)),
                "target (2,)", "input (4, 3)");
        assertMessage(() -> F.crossEntropy(x(), T, null, -100, Reduction.MEAN, 1.5), "label_smoothing");
        assertMessage(() -> F.crossEntropy(x(), T, Tensor.ones(4), -100, Reduction.MEAN, 0), "weight (4,)");
        assertMessage(() -> F.mseLoss(Tensor.ones(4, 1), Tensor.ones(4)), "mse_loss", "(4,)", "(4, 1)");
        assertMessage(() -> F.binaryCrossEntropyWithLogits(Tensor.ones(3), Tensor.ones(2)), "binary_cross_entropy_with_logits");
        assertMessage(() -> F.nllLoss(x(), T.to(dev.cortado.tensor.DType.FLOAT32)), "target");
        assertMessage(() -> F.linear(Tensor.ones(2, 5), Tensor.ones(3, 4), null), "linear", "(2, 5)", "(3, 4)");
        assertMessage(() -> F.dropout(x(), 1.5, true), "dropout", "1.5");
    }
}
