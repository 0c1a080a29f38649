package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.ValuesIndices;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Max pooling with indices in 3-d and max unpooling in 1-, 2- and 3-d, against sums PyTorch 1.13 printed for the same inputs. */
class UnpoolingTest extends OnReference {
    /** A wave rounded to halves: many ties, so the choice among equal maxima shows. */
    private static Tensor halves(int n, double scale, boolean cos, int... shape) {
        return wave(n, scale, cos, shape).mul(2).round().div(2);
    }

    private static Tensor volume() {
        return halves(2 * 3 * 5 * 6 * 7, 0.37, false, 2, 3, 5, 6, 7);
    }

    private static void assertIndexSums(String name, Tensor indices, int[] shape, long sum, double weighted) {
        assertEquals(DType.INT64, indices.dtype());
        assertArrayEquals(shape, indices.shape(), name + " shape");
        long[] all = indices.toLongArray();
        double[] weights = wave(all.length, 0.11, false, all.length).toDoubleArray();
        long total = 0;
        double dot = 0;
        for (int k = 0; k < all.length; k++) {
            total += all[k];
            // PyTorch's script weighs by the float32 wave.
            dot += all[k] * (double) (float) weights[k];
        }
        assertEquals(sum, total, name + " sum");
        assertEquals(weighted, dot, 1e-9 * total, name + " weighted sum");
    }

    @Test
    void maxPool3dIndicesArePyTorchsFirstMaximumInDepthRowColumnOrder() {
        Tensor x = volume();
        ValuesIndices a = F.maxPool3dWithIndices(x, new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[] {0, 0, 0}, new int[] {1, 1, 1}, false);
        assertIndexSums("k2 s2", a.indices(), new int[] {2, 3, 2, 3, 3}, 7825, -200.22617349214852);
        assertEquals(93.5, a.values().sum().item(), 1e-9);
        ValuesIndices b = F.maxPool3dWithIndices(x, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, true);
        assertIndexSums("k3 s2 p1 ceil", b.indices(), new int[] {2, 3, 3, 4, 4}, 26036, -32.02812580531463);
        assertEquals(264.5, b.values().sum().item(), 1e-9);
        ValuesIndices c = new MaxPool3d(2, 1, 0, 2, false).forwardWithIndices(x);
        assertIndexSums("k2 s1 d2", c.indices(), new int[] {2, 3, 3, 4, 5}, 26206, -2429.6191432899795);
        assertEquals(223.0, c.values().sum().item(), 1e-9);
        Tensor plain = F.maxPool3d(x, new int[] {3, 3, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 1}, true);
        assertArrayEquals(plain.toDoubleArray(), b.values().toDoubleArray(), "the same values as without indices");
        ValuesIndices unbatched = new MaxPool3d(2).forwardWithIndices(x.select(0, 1));
        assertArrayEquals(a.indices().select(0, 1).toLongArray(), unbatched.indices().toLongArray());
    }

    @Test
    void unpoolingUndoesPoolingAsPyTorchDoes() {
        Tensor x = volume().requiresGrad_(true);
        ValuesIndices p = new MaxPool3d(2).forwardWithIndices(x);
        // The pooled (5, 6, 7) volume pools from (4, 6, 6) by default; output_size restores it.
        assertWaveSums("unpool3d roundtrip", () -> new MaxUnpool3d(2).forward(p.values(), p.indices(), new int[] {5, 6, 7}), new Tensor[] {x},
                new int[] {2, 3, 5, 6, 7}, 93.5, -1.907444715499878);

        // Overlapping 3×3 windows of stride 2 repeat indices; each place keeps the last value written.
        Tensor image = halves(2 * 3 * 9 * 11, 0.29, true, 2, 3, 9, 11);
        ValuesIndices q = F.maxPool2dWithIndices(image, PoolOptions.of(3).stride(2));
        Tensor pooled = q.values().detach().requiresGrad_(true);
        assertWaveSums("unpool2d overlapping", () -> new MaxUnpool2d(3, 2, 0).forward(pooled, q.indices(), new int[] {2, 3, 9, 11}),
                new Tensor[] {pooled}, new int[] {2, 3, 9, 11}, 88.0, -1.4470336437225342);
        Tensor other = wave(pooled.numel(), 0.53, false, pooled.shape()).requiresGrad_(true);
        // A value that lost its place still gets the gradient read at its index, as in PyTorch.
        assertWaveSums("unpool2d overlapping other values", () -> new MaxUnpool2d(3, 2, 0).forward(other, q.indices()), new Tensor[] {other},
                new int[] {2, 3, 9, 11}, 0.4024866819381714, -1.4470336437225342);

        Tensor line = wave(3 * 4 * 5, 0.41, true, 3, 4, 5);
        ValuesIndices r = new MaxPool1d(2).forwardWithIndices(line);
        Tensor v = r.values().detach().requiresGrad_(true);
        assertWaveSums("unpool1d unbatched", () -> F.maxUnpool1d(v, r.indices(), 2, 2, 0, new int[] {5}), new Tensor[] {v}, new int[] {3, 4, 5},
                2.6412296295166016, -0.2691791355609894);
        assertArrayEquals(new double[] {1.0, 0.0, 0.6822212338447571, 0.0, 0.0}, F.maxUnpool1d(v, r.indices(), 2, 2, 0, new int[] {5})
                .select(0, 0).select(0, 0).toDoubleArray(), 1e-7);
    }

    @Test
    void repeatedIndicesKeepTheLastValueAndGiveEveryValueTheGradientAtItsIndex() {
        Tensor v = Tensor.fromArray(new float[] {1, 2, 3}, 1, 1, 3).requiresGrad_(true);
        Tensor at = Tensor.fromArray(new long[] {1, 1, 1}, 1, 1, 3);
        Tensor y = F.maxUnpool1d(v, at, 2, 1, 0, null);
        // PyTorch 1.13: [[[0, 3, 0, 0]]] and, for weights 1, 10, 100, 1000, the gradient [10, 10, 10].
        assertArrayEquals(new double[] {0, 3, 0, 0}, y.toDoubleArray());
        y.mul(Tensor.fromArray(new float[] {1, 10, 100, 1000}, 4)).sum().backward();
        assertArrayEquals(new double[] {10, 10, 10}, v.grad().toDoubleArray());
    }

    @Test
    void gradientsOfDistinctIndicesPassTheChecks() {
        Tensor image = wave(2 * 2 * 6 * 8, 0.31, false, 2, 2, 6, 8);
        ValuesIndices q = F.maxPool2dWithIndices(image, PoolOptions.of(2));
        Gradcheck.check(in -> F.maxUnpool2d(in[0], q.indices(), 2), q.values());
        Gradcheck.checkSecondOrder(in -> F.maxUnpool2d(in[0], q.indices(), 2).mul(in[0].sum()), q.values());
    }

    @Test
    void badInputsAreRefusedByName() {
        Tensor x = Tensor.arange(16).reshape(1, 1, 4, 4).to(DType.FLOAT32);
        Tensor idx = Tensor.zeros(new int[] {1, 1, 4, 4}, DType.INT64, x.device());
        assertMessage(() -> F.maxUnpool2d(x, idx.add(99), 2), "max_unpool2d: index 99 at position (0, 0, 0, 0) of indices (1, 1, 4, 4) is "
                + "outside the output plane (8, 8)");
        assertMessage(() -> F.maxUnpool2d(x, idx.sub(1), 2), "max_unpool2d: index -1 at position (0, 0, 0, 0)");
        assertMessage(() -> F.maxUnpool2d(x, Tensor.arange(16).reshape(1, 1, 4, 4).mul(5), 2), "max_unpool2d: index 65 at position (0, 0, 3, 1)");
        // PyTorch: invalid output_size "(4, 9)" (dim 0 must be between 6 and 10).
        assertMessage(() -> F.maxUnpool2d(x, idx, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {4, 9}),
                "max_unpool2d: invalid output_size (4, 9) (dim 0 must be between 6 and 10, both excluded, for input (1, 1, 4, 4))");
        assertMessage(() -> F.maxUnpool2d(x, idx, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {8}),
                "max_unpool2d: output_size must hold 2 or 4 sizes, got [8]");
        assertMessage(() -> F.maxUnpool2d(x, idx.to(DType.FLOAT32), 2), "max_unpool2d: indices must be int64 of the input's shape (1, 1, 4, 4), got "
                + "float32 (1, 1, 4, 4)");
        assertMessage(() -> F.maxUnpool2d(x, idx.reshape(1, 4, 4), 2), "indices must be int64 of the input's shape");
        assertMessage(() -> F.maxUnpool2d(x.reshape(16), idx.reshape(16), 2), "max_unpool2d: expected a 3-d (unbatched) or 4-d (batched) input, got (16,)");
        assertMessage(() -> F.maxUnpool3d(x, idx, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, null),
                "max_unpool3d: kernel size, stride and padding each take 3 values");
        assertMessage(() -> F.maxUnpool1d(x.reshape(1, 16), idx.reshape(1, 16), 1, 1, 8, null), "max_unpool1d: input (1, 16) with kernel [1], "
                + "stride [1] and padding [8] gives an empty output (0,)");
        assertMessage(() -> new MaxUnpool2d(0).forward(x, idx), "max_unpool2d: kernel size and stride must be positive");
        assertMessage(() -> new MaxUnpool2d(2).forward(x), "MaxUnpool2d: takes the input and the pooling's indices");
    }

    @Test
    void reprsArePyTorchs() {
        assertEquals("MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))", new MaxUnpool1d(2).toString());
        assertEquals("MaxUnpool2d(kernel_size=(2, 3), stride=(1, 1), padding=(1, 0))",
                new MaxUnpool2d(new int[] {2, 3}, new int[] {1, 1}, new int[] {1, 0}).toString());
        assertEquals("MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=(0, 0, 0))", new MaxUnpool3d(2).toString());
    }
}
