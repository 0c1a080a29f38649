package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The margin, embedding and likelihood losses against sums PyTorch 1.13 prints: the loss's sum,
 * then for each input that requires grad, its gradient (for an output gradient of 1.5 + a wave)
 * dotted with another wave.
 */
class MarginAndLikelihoodLossesTest extends OnReference {
    private static final Tensor SIGN = Tensor.fromArray(new float[] {1, -1, 1, 1, -1, -1, 1, -1, 1, -1, -1, 1}, 3, 4);

    private static Tensor x() {
        return wave(12, 0.37, false, 3, 4).mul(2).requiresGrad_(true);
    }

    private static void expect(String name, Tensor out, int[] shape, double[] sums, Tensor... inputs) {
        assertArrayEquals(shape, out.shape(), name + " shape");
        Tensor wt = out.dim() == 0 ? Tensor.scalar(1) : wave(out.numel(), 0.11, false, out.shape()).add(1.5);
        out.mul(wt).sum().backward();
        assertEquals(sums[0], out.sum().item(), 2e-6 * (1 + Math.abs(sums[0])), name + " sum");
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            double got = t.grad().mul(wave(t.numel(), 0.77, true, t.shape())).sum().item();
            assertEquals(sums[i + 1], got, 2e-5 * (1 + Math.abs(sums[i + 1])), name + " gradient of input " + i);
        }
    }

    private static double[] s(double... v) {
        return v;
    }

    @Test
    void marginLossesMatchPyTorch() {
        Tensor x = x();
        expect("soft_margin", F.softMarginLoss(x, SIGN, Reduction.MEAN), new int[0], s(0.9203298687934875, -0.045817311853170395), x);
        x = x();
        expect("soft_margin none", new SoftMarginLoss(Reduction.NONE).forward(x, SIGN), new int[] {3, 4},
                s(11.04395866394043, -0.6867579221725464), x);
        Tensor y01 = SIGN.add(1).div(2);
        Tensor w = Tensor.tensor(new float[] {0.5f, 1, 2, 1.5f});
        x = x();
        expect("multilabel_soft_margin", new MultiLabelSoftMarginLoss().forward(x, y01), new int[0], s(0.9203299880027771, -0.04581731930375099), x);
        x = x();
        expect("multilabel_soft_margin weighted", new MultiLabelSoftMarginLoss(w, Reduction.NONE).forward(x, y01), new int[] {3},
                s(2.9326276779174805, 0.3821830153465271), x);
        x = x();
        expect("hinge_embedding", new HingeEmbeddingLoss(0.8, Reduction.MEAN).forward(x, SIGN), new int[0], s(0.55033278465271, -0.08248544484376907), x);
        x = x();
        expect("hinge_embedding none", F.hingeEmbeddingLoss(x, SIGN, 1.0, Reduction.NONE), new int[] {3, 4}, s(7.203993797302246, -2.4112353324890137), x);
        Tensor yr = Tensor.tensor(new float[] {1, -1, 1, -1, -1, 1, 1, -1});
        Tensor a = wave(8, 0.53, true, 8).requiresGrad_(true);
        Tensor b = wave(8, 0.29, false, 8).requiresGrad_(true);
        expect("margin_ranking", new MarginRankingLoss(0.3, Reduction.MEAN).forward(a, b, yr), new int[0],
                s(0.7119104862213135, 0.19234700500965118, -0.19234700500965118), a, b);
        a = wave(8, 0.53, true, 8).requiresGrad_(true);
        b = wave(8, 0.29, false, 8).requiresGrad_(true);
        expect("margin_ranking none", F.marginRankingLoss(a, b, yr, 0, Reduction.NONE), new int[] {8},
                s(4.495283603668213, 2.8337483406066895, -2.8337483406066895), a, b);
    }

    @Test
    void embeddingLossesMatchPyTorch() {
        Tensor yc = Tensor.tensor(new float[] {1, -1, -1});
        Tensor u = wave(15, 0.37, false, 3, 5).requiresGrad_(true);
        Tensor v = wave(15, 0.61, true, 3, 5).requiresGrad_(true);
        expect("cosine_embedding", new CosineEmbeddingLoss(-0.2, Reduction.MEAN).forward(u, v, yc), new int[0],
                s(0.39727675914764404, -0.315234512090683, 0.11580052226781845), u, v);
        u = wave(15, 0.37, false, 3, 5).requiresGrad_(true);
        v = wave(15, 0.61, true, 3, 5).requiresGrad_(true);
        expect("cosine_embedding none", F.cosineEmbeddingLoss(u, v, yc, 0, Reduction.NONE), new int[] {3},
                s(1.1918302774429321, -1.418555498123169, 0.5211024284362793), u, v);
        Tensor[] t = triplet();
        expect("triplet", new TripletMarginLoss().forward(t[0], t[1], t[2]), new int[0],
                s(2.5588788986206055, -0.3955534100532532, 0.7074752449989319, -0.31192177534103394), t);
        t = triplet();
        expect("triplet p1 swap margin 2", new TripletMarginLoss(2.0, 1, 1e-6, true, Reduction.NONE).forward(t[0], t[1], t[2]), new int[] {3},
                s(14.39089584350586, -2.7423205375671387, 4.446415901184082, -1.7040958404541016), t);
    }

    private static Tensor[] triplet() {
        return new Tensor[] {wave(12, 0.37, false, 3, 4).requiresGrad_(true), wave(12, 0.61, true, 3, 4).requiresGrad_(true),
            wave(12, 0.23, true, 3, 4).mul(0.5).requiresGrad_(true)};
    }

    @Test
    void multiMarginMatchesPyTorch() {
        Tensor labels = Tensor.fromArray(new long[] {2, 0, 3}, 3);
        Tensor x = x();
        expect("multi_margin", new MultiMarginLoss().forward(x, labels), new int[0], s(0.8447411060333252, 0.5357823371887207), x);
        x = x();
        expect("multi_margin p 2, margin, weight", new MultiMarginLoss(2, 0.7, Tensor.tensor(new float[] {0.5f, 1, 2, 1.5f}), Reduction.NONE)
                .forward(x, labels), new int[] {3}, s(5.345563888549805, 9.013291358947754), x);
        assertEquals(F.multiMarginLoss(x.detach(), labels, 1, 1, null, Reduction.NONE).select(0, 1).item(),
                F.multiMarginLoss(x.detach().select(0, 1), Tensor.fromArray(new long[] {0}, new int[0]), 1, 1, null, Reduction.MEAN).item(), 1e-7,
                "an unbatched sample with a 0-d target");
    }

    @Test
    void likelihoodLossesMatchPyTorch() {
        Tensor counts = Tensor.fromArray(new float[] {0, 1, 2, 5, 3, 0, 1, 1, 2, 7, 0, 4}, 3, 4);
        Tensor x = x();
        expect("poisson, log rates", new PoissonNLLLoss().forward(x, counts), new int[0], s(2.069248676300049, -0.9097776412963867), x);
        Tensor rates = x().detach().abs().add(0.1).requiresGrad_(true);
        expect("poisson, rates, full", new PoissonNLLLoss(false, true, 1e-8, Reduction.NONE).forward(rates, counts), new int[] {3, 4},
                s(32.552040100097656, -28.23472785949707), rates);
        Tensor target = wave(12, 0.61, true, 3, 4);
        Tensor mu = wave(12, 0.37, false, 3, 4).requiresGrad_(true);
        Tensor var = wave(12, 0.23, true, 3, 4).abs().mul(0.5).add(1e-7).requiresGrad_(true);
        expect("gaussian", new GaussianNLLLoss().forward(mu, target, var), new int[0], s(4.593429088592529, 0.8298041820526123, -54.799171447753906),
                mu, var);
        mu = wave(12, 0.37, false, 3, 4).requiresGrad_(true);
        Tensor perRow = wave(3, 0.9, true, 3, 1).abs().add(0.2).requiresGrad_(true);
        expect("gaussian, full, one variance per row", new GaussianNLLLoss(true, 1e-6, Reduction.NONE).forward(mu, target, perRow),
                new int[] {3, 4}, s(23.885784149169922, -8.900639533996582, -7.508656024932861), mu, perRow);
        mu = wave(12, 0.37, false, 3, 4).requiresGrad_(true);
        Tensor withoutLast = wave(3, 0.9, true, 3).abs().add(0.2).requiresGrad_(true);
        expect("gaussian, variance without the last dim", F.gaussianNllLoss(mu, target, withoutLast, false, 1e-6, Reduction.SUM), new int[0],
                s(12.85852336883545, -5.0102620124816895, -3.5070114135742188), mu, withoutLast);
        // Variances under eps count as eps, and take the gradient they would have had there.
        mu = wave(12, 0.37, false, 3, 4).requiresGrad_(true);
        Tensor tiny = Tensor.fromArray(new float[] {1e-8f, 0.5f, 2e-7f, 1, 0.3f, 1e-9f, 0.7f, 0.2f, 1.5f, 0.1f, 3e-8f, 0.9f}, 3, 4).requiresGrad_(true);
        expect("gaussian, clamped variances", F.gaussianNllLoss(mu, target, tiny, false, 1e-6, Reduction.NONE), new int[] {3, 4},
                s(3614478.25, -5043591.0, 1768901312512.0), mu, tiny);
    }

    @Test
    void tripletMarginWithDistanceLossTakesAnyDistance() {
        java.util.function.Supplier<Tensor[]> triplet = () -> new Tensor[] {wave(12, 0.3, false, 3, 4).requiresGrad_(true),
            wave(12, 0.7, true, 3, 4).requiresGrad_(true), wave(12, 1.1, false, 3, 4).requiresGrad_(true)};
        Tensor[] t = triplet.get();
        // PyTorch 1.13: distance 1 - cosine similarity, margin 0.5, swap, summed.
        expect("cosine distance, swap", new TripletMarginWithDistanceLoss((x, y) -> F.cosineSimilarity(x, y).rsub(1), 0.5, true, Reduction.SUM)
                .forward(t[0], t[1], t[2]), new int[0], s(3.092048168182373, -1.7554004192352295, 0.1292077898979187, 1.0726759433746338), t);
        Tensor[] u = triplet.get();
        expect("default: Euclidean, as TripletMarginLoss", new TripletMarginWithDistanceLoss().forward(u[0], u[1], u[2]), new int[0],
                s(1.1793378591537476, -0.365923672914505, 0.9176018834114075, -0.5516780018806458), u);
        assertMessage(() -> new TripletMarginWithDistanceLoss(null, 0, false, Reduction.MEAN),
                "TripletMarginWithDistanceLoss: margin must be greater than 0, got 0.0");
        assertMessage(() -> F.tripletMarginWithDistanceLoss(u[0], u[1], u[2], null, -1, false, Reduction.MEAN),
                "triplet_margin_with_distance_loss: margin must be greater than 0, got -1.0");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor sign = Tensor.tensor(new float[] {1, -1, 1, -1});
        Tensor away = Tensor.tensor(new float[] {0.3f, -1.7f, 2.1f, 0.45f});
        check(in -> F.softMarginLoss(in[0], sign, Reduction.SUM), away);
        check(in -> F.hingeEmbeddingLoss(in[0], sign, 1.0, Reduction.SUM), away);
        check(in -> F.marginRankingLoss(in[0], in[1], sign, 0.1, Reduction.SUM), away, Tensor.tensor(new float[] {0.1f, -1.1f, 1.5f, 0.2f}));
        check(in -> F.cosineEmbeddingLoss(in[0], in[1], Tensor.tensor(new float[] {1, -1}), -0.5, Reduction.SUM), Tensor.randn(2, 3), Tensor.randn(2, 3));
        check(in -> F.tripletMarginLoss(in[0], in[1], in[2], 3.0, 2, 1e-6, true, Reduction.SUM), Tensor.randn(2, 3), Tensor.randn(2, 3),
                Tensor.randn(2, 3));
        check(in -> F.multiMarginLoss(in[0], Tensor.fromArray(new long[] {1, 0}, 2), 2, 5.0, null, Reduction.SUM), Tensor.randn(2, 3));
        Tensor target = Tensor.randn(2, 3);
        check(in -> F.gaussianNllLoss(in[0], target, in[1], true, 1e-6, Reduction.SUM), Tensor.randn(2, 3),
                Tensor.rand(2, 3).add(0.5));
        check(in -> F.poissonNllLoss(in[0], Tensor.tensor(new float[] {0, 2, 5, 1}), true, true, 1e-8, Reduction.SUM), away);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = x().detach();
        assertMessage(() -> F.softMarginLoss(x, Tensor.ones(4), Reduction.MEAN), "soft_margin_loss: target size (4,) must be the same as input size (3, 4)");
        assertMessage(() -> F.cosineEmbeddingLoss(x, x, Tensor.ones(2), 0, Reduction.MEAN),
                "cosine_embedding_loss: expected inputs (N, D) with a target (N), or (D) with a 0-d target, got (3, 4) and target (2,)");
        assertMessage(() -> F.tripletMarginLoss(x, x, Tensor.ones(4), 1, 2, 1e-6, false, Reduction.MEAN),
                "triplet_margin_loss: the anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 2D, positive 2D, and negative 1D inputs");
        assertMessage(() -> new TripletMarginLoss(0, 2, 1e-6, false, Reduction.MEAN), "TripletMarginLoss: margin must be greater than 0, got 0.0");
        assertMessage(() -> F.multiMarginLoss(x, Tensor.fromArray(new long[] {2, 4, 0}, 3), 1, 1, null, Reduction.MEAN),
                "multi_margin_loss: target 4 is out of bounds for 4 classes");
        assertMessage(() -> F.multiMarginLoss(x, Tensor.fromArray(new long[] {2, 1, 0}, 3), 3, 1, null, Reduction.MEAN),
                "multi_margin_loss: only p == 1 and p == 2 are supported, got 3");
        assertMessage(() -> F.multiMarginLoss(x, Tensor.fromArray(new long[] {2, 1}, 2), 1, 1, null, Reduction.MEAN),
                "multi_margin_loss: expected an input (N, C) with a target (N)");
        assertMessage(() -> F.multiMarginLoss(x, Tensor.fromArray(new long[] {2, 1, 0}, 3), 1, 1, Tensor.ones(3), Reduction.MEAN),
                "multi_margin_loss: weight (3,) must hold one value per class (4)");
        assertMessage(() -> F.gaussianNllLoss(x, x, Tensor.ones(4), false, 1e-6, Reduction.MEAN), "gaussian_nll_loss: var (4,) is of incorrect size for input (3, 4)");
        assertMessage(() -> F.gaussianNllLoss(x, x, Tensor.ones(3, 4).neg(), false, 1e-6, Reduction.MEAN), "gaussian_nll_loss: var has negative entry/entries");
        assertMessage(() -> F.multilabelSoftMarginLoss(x, x, Tensor.ones(3), Reduction.MEAN),
                "multilabel_soft_margin_loss: shapes (3,) and (3, 4) cannot be broadcast");
        assertMessage(() -> F.hingeEmbeddingLoss(x, x, 1, Reduction.BATCHMEAN), "reduction BATCHMEAN is only for kl_div");
    }
}
