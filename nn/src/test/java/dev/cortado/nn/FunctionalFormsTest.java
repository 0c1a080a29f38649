package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F.embedding, F.pad, F.instance_norm and F.gumbel_softmax: the functional forms of layers, against PyTorch 1.13 where deterministic. */
class FunctionalFormsTest extends OnReference {
    @Test
    void embeddingLooksUpRowsAndStopsThePaddingRowsGradient() {
        Tensor w = wave(12, 0.5, true, 4, 3).requiresGrad_(true);
        Tensor idx = Tensor.fromArray(new long[] {0, 3, 1, 3, 3, 2}, 2, 3);
        // PyTorch 1.13: F.embedding(idx, W, padding_idx=-1), weighted and back-propagated.
        assertWaveSums("embedding", () -> F.embedding(idx, w, -1), new Tensor[] {w}, new int[] {2, 3, 3}, 1.0358471870422363,
                -0.13553214073181152);
        assertClose("as the layer", F.embedding(idx, w, null), Embedding.fromPretrained(w, true, null).forward(idx), 0);
        assertMessage(() -> F.embedding(Tensor.fromArray(new long[] {4}, 1), w, null), "embedding: indices must be in 0..3");
        assertMessage(() -> F.embedding(idx, w, 4), "embedding: padding_idx must be within num_embeddings (4), got 4");
        assertMessage(() -> F.embedding(idx, w.reshape(12), null), "embedding: weight must be a 2-d (num_embeddings, embedding_dim) table, got (12,)");
    }

    @Test
    void padNamesItsModesAsPyTorch() {
        Tensor x = Tensor.arange(12).reshape(1, 3, 4).to(dev.cortado.tensor.DType.FLOAT32);
        assertClose("reflect", F.pad(x, new int[] {2, 1}, "reflect", 0), x.pad(new int[] {2, 1}, PadMode.REFLECT, 0), 0);
        assertClose("circular", F.pad(x, new int[] {1, 1}, "circular", 0), x.pad(new int[] {1, 1}, PadMode.CIRCULAR, 0), 0);
        assertClose("replicate", F.pad(x, new int[] {0, 2}, "replicate", 0), x.pad(new int[] {0, 2}, PadMode.REPLICATE, 0), 0);
        assertArrayEquals(new double[] {7, 0, 1, 2, 3, 7}, F.pad(x, new int[] {1, 1}, "constant", 7).select(1, 0).select(0, 0).toDoubleArray());
        assertArrayEquals(new int[] {1, 5, 6}, F.pad(x, 1, 1, 1, 1).shape());
        assertMessage(() -> F.pad(x, new int[] {1, 1}, "zeros", 0), "pad: mode must be constant, reflect, replicate or circular, got \"zeros\"");
        assertMessage(() -> F.pad(x, new int[] {1, 1}, "reflect", 3), "pad: padding mode \"reflect\" doesn't take in value argument");
    }

    @Test
    void instanceNormUpdatesTheRunningStatisticsAsPyTorch() {
        Tensor x = wave(2 * 3 * 4 * 5, 0.37, false, 2, 3, 4, 5).requiresGrad_(true);
        Tensor mean = Tensor.fromArray(new float[] {0.1f, -0.2f, 0.3f}, 3);
        Tensor var = Tensor.fromArray(new float[] {1.5f, 0.5f, 2.0f}, 3);
        Tensor w = Tensor.fromArray(new float[] {1.2f, 0.8f, -0.5f}, 3).requiresGrad_(true);
        Tensor b = Tensor.fromArray(new float[] {0.1f, 0.2f, 0.3f}, 3).requiresGrad_(true);
        assertWaveSums("input statistics", () -> F.instanceNorm(x, mean, var, w, b, true, 0.2, 1e-5), new Tensor[] {x, w, b},
                new int[] {2, 3, 4, 5}, 24.000001907348633, 0.9650150537490845, -1.0009742975234985, 23.31201934814453);
        assertArrayEquals(new double[] {0.07733389735221863, -0.15992841124534607, 0.24272891879081726}, mean.toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {1.2969281673431396, 0.5137279033660889, 1.696126937866211}, var.toDoubleArray(), 1e-6);
        Tensor y = wave(2 * 3 * 4 * 5, 0.37, false, 2, 3, 4, 5).requiresGrad_(true);
        Tensor w2 = w.detach().requiresGrad_(true);
        Tensor b2 = b.detach().requiresGrad_(true);
        assertWaveSums("running statistics", () -> F.instanceNorm(y, mean, var, w2, b2, false, 0.2, 1e-5), new Tensor[] {y, w2, b2},
                new int[] {2, 3, 4, 5}, 30.85272216796875, -0.7336455583572388, -3.50319504737854, 23.31201934814453);
        assertMessage(() -> F.instanceNorm(x, null, null, null, null, false, 0.1, 1e-5), "instance_norm: use_input_stats=False needs running_mean");
        assertMessage(() -> F.instanceNorm(x.detach(), Tensor.zeros(4), Tensor.ones(4), null, null, true, 0.1, 1e-5),
                "instance_norm: running statistics, weight and bias must hold one value per channel (3), got (4,) for input (2, 3, 4, 5)");
        assertMessage(() -> F.instanceNorm(Tensor.ones(2, 3), null, null, null, null, true, 0.1, 1e-5),
                "instance_norm: expected an input (N, C, ...) with at least one spatial dim, got (2, 3)");
    }

    @Test
    void gumbelSoftmaxSamplesTheSoftmaxsCategories() {
        Cortado.manualSeed(11);
        Tensor logits = Tensor.fromArray(new float[] {1, 0, -1, 2}, 1, 4).expand(20_000, 4).contiguous().requiresGrad_(true);
        Tensor hard = F.gumbelSoftmax(logits, 0.5, true, 1);
        assertClose("one-hot rows", hard.sum(new int[] {1}, false), Tensor.ones(20_000), 1e-6);
        assertEquals(20_000, hard.eq(1).sum().item(), 0, "one 1 per row");
        // The Gumbel-max trick: the argmax of logits + g falls on i with probability softmax(logits)_i.
        double[] expected = Tensor.fromArray(new float[] {1, 0, -1, 2}, 4).softmax(0).toDoubleArray();
        double[] share = hard.detach().mean(new int[] {0}, false).toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], share[i], 0.012, "category " + i);
        }
        // Straight through: the hard sample's gradient is the soft sample's.
        Cortado.manualSeed(12);
        Tensor a = logits.detach().requiresGrad_(true);
        F.gumbelSoftmax(a, 0.5, true, 1).mul(wave(80_000, 0.3, false, 20_000, 4)).sum().backward();
        Cortado.manualSeed(12);
        Tensor c = logits.detach().requiresGrad_(true);
        F.gumbelSoftmax(c, 0.5, false, 1).mul(wave(80_000, 0.3, false, 20_000, 4)).sum().backward();
        assertClose("straight-through gradient", a.grad(), c.grad(), 1e-6);
        Tensor soft = F.gumbelSoftmax(logits.detach(), 1, false, 1);
        assertTrue(soft.min().item() > 0 && soft.lt(1).all().item() > 0);
        assertMessage(() -> F.gumbelSoftmax(logits, 0, false, 1), "gumbel_softmax: tau must be positive, got 0.0");
    }
}
