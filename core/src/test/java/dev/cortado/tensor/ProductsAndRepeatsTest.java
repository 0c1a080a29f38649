package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static dev.cortado.testing.Inputs.waveLeaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** prod, diff, tile, repeat_interleave, take_along_dim, cross and logaddexp against what PyTorch 1.13 prints. */
class ProductsAndRepeatsTest extends OnReference {
    private static final float NaN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void productsHaveGradientsAtZeros() {
        Tensor x = Tensor.fromArray(new float[] {2, 0, 3, 1.5f, -2, 4}, 2, 3).requiresGrad_(true);
        Tensor p = x.prod(1, false);
        assertArrayEquals(new float[] {0, -12}, p.toFloatArray());
        p.sum().backward();
        assertArrayEquals(new float[] {0, 6, 0, -8, 6, -3}, x.grad().toFloatArray(), "a single zero's gradient is the product of the others");
        Tensor two = Tensor.fromArray(new float[] {2, 0, 0, 1.5f, -2, 4}, 2, 3).requiresGrad_(true);
        two.prod().backward();
        assertArrayEquals(new float[6], two.grad().toFloatArray(), 0f, "two zeros: all gradients 0 (of either sign)");
        Tensor a = wave(24, 0.3, false, 4, 6).add(1.2).requiresGrad_(true);
        assertWaveSums("prod over dim 0", () -> a.prod(0, false), new Tensor[] {a}, new int[] {6}, 5.742609977722168, 3.104043483734131);
        assertEquals(DType.INT64, Tensor.fromArray(new long[] {3, 4, 5}, 3).prod().dtype());
        assertEquals(60, Tensor.fromArray(new long[] {3, 4, 5}, 3).prod().item(), 0);
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2, 0).prod(1, false).toFloatArray(), "an empty product is 1");
        assertArrayEquals(new int[] {2, 1}, Tensor.ones(2, 7).prod(1, true).shape());
        check(in -> in[0].prod(1, false), Tensor.randn(3, 5));
        check(in -> in[0].prod(), Tensor.randn(7));
    }

    @Test
    void differencesTilesAndInterleavesMatchPyTorch() {
        Tensor d = waveLeaf(24, 0.3, false, 4, 6);
        assertWaveSums("diff n 2", () -> d.diff(2, 1), new Tensor[] {d}, new int[] {4, 4}, -0.05787712335586548, 0.6532498598098755);
        assertArrayEquals(new float[] {1, 3, 5, 11, 10}, Tensor.fromArray(new float[] {1, 4, 9}, 3).diff(1, 0, Tensor.zeros(1),
                Tensor.fromArray(new float[] {20, 30}, 2)).toFloatArray());
        assertArrayEquals(new int[] {0}, Tensor.ones(3).diff(5, 0).shape(), "more differences than elements leave none");
        assertMessage(() -> Tensor.scalar(1).diff(1, 0), "diff: expects input to be at least one-dimensional");

        Tensor m = Tensor.fromArray(new long[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new long[] {1, 2, 1, 2, 3, 4, 3, 4}, m.tile(2).toLongArray());
        assertArrayEquals(new int[] {2, 4}, Tensor.fromArray(new long[] {1, 2}, 2).tile(2, 2).shape());

        Tensor t = waveLeaf(6, 0.3, false, 2, 3);
        assertWaveSums("repeat_interleave 2", () -> t.repeatInterleave(2, 1), new Tensor[] {t}, new int[] {2, 6}, 7.146047592163086,
                -3.3447577953338623);
        Tensor u = waveLeaf(6, 0.3, false, 2, 3);
        Tensor counts = Tensor.fromArray(new long[] {1, 0, 3}, 3);
        assertWaveSums("repeat_interleave by counts", () -> u.repeatInterleave(counts, 1), new Tensor[] {u}, new int[] {2, 4}, 5.4697394371032715,
                -1.6580506563186646);
        assertArrayEquals(new long[] {1, 1, 2, 2, 3, 3, 4, 4}, m.repeatInterleave(2, null).toLongArray());
        assertArrayEquals(new long[] {0, 0, 2}, Tensor.repeatInterleave(Tensor.fromArray(new long[] {2, 0, 1}, 3)).toLongArray());
        assertMessage(() -> u.repeatInterleave(Tensor.fromArray(new long[] {1, 2}, 2), 1),
                "repeat_interleave: repeats must have the same size as input along dim 1, got 2 repeats for size 3");
        assertMessage(() -> u.repeatInterleave(-1, 0), "repeat_interleave: repeats can not be negative, got -1");
    }

    @Test
    void takeAlongDimAndCrossMatchPyTorch() {
        Tensor s = wave(6, 0.3, false, 2, 3);
        Tensor idx = Tensor.fromArray(new long[] {0, 2, 1, 0}, 2, 2);
        assertArrayEquals(new float[] {0, 0.5646424889564514f, 0.9320390820503235f, 0.7833269238471985f}, s.takeAlongDim(idx, 1).toFloatArray(),
                1e-7f);
        Tensor r = Tensor.arange(0.0, 6.0, 1.0).reshape(2, 3);
        assertArrayEquals(new float[] {2, 3}, r.takeAlongDim(Tensor.fromArray(new long[] {2, 0}, 2, 1), 1).toFloatArray());
        assertArrayEquals(new float[] {3, 1, 5}, r.takeAlongDim(Tensor.fromArray(new long[] {1, 0, 1}, 1, 3), 0).toFloatArray());
        assertArrayEquals(new float[] {5, 0}, r.takeAlongDim(Tensor.fromArray(new long[] {5, 0}, 2), null).toFloatArray());
        assertMessage(() -> r.takeAlongDim(Tensor.fromArray(new long[] {1}, 1), 0),
                "take_along_dim: input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1");
        check(in -> in[0].takeAlongDim(Tensor.fromArray(new long[] {0, 2, 2, 1}, 2, 2), 1), Tensor.randn(2, 3));

        Tensor c1 = waveLeaf(6, 0.3, false, 2, 3);
        Tensor c2 = waveLeaf(6, 0.5, true, 2, 3);
        assertWaveSums("cross", () -> c1.cross(c2, 1), new Tensor[] {c1, c2}, new int[] {2, 3}, -0.09211215376853943, 0.0662899911403656,
                -0.022560521960258484);
        assertMessage(() -> c1.cross(c2, 0), "cross: inputs dimension 0 must have length 3");
    }

    @Test
    void logaddexpMatchesPyTorch() {
        Tensor u = Tensor.fromArray(new float[] {1, -1000, INF, -INF, NaN, 0.5f}, 6).requiresGrad_(true);
        Tensor v = Tensor.fromArray(new float[] {2, 3, INF, -INF, 1, 0.5f}, 6).requiresGrad_(true);
        Tensor l = u.logaddexp(v);
        assertEquals("LogaddexpBackward0", l.gradFn().name());
        assertArrayEquals(new float[] {2.3132617473602295f, 3, INF, -INF, NaN, 1.1931471824645996f}, l.toFloatArray(), 2e-7f);
        l.sum().backward();
        assertArrayEquals(new float[] {0.2689414322376251f, 0, NaN, NaN, NaN, 0.5f}, u.grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0.7310585975646973f, 1, NaN, NaN, NaN, 0.5f}, v.grad().toFloatArray(), 1e-7f);
        Tensor u2 = Tensor.fromArray(new float[] {1, -1000, INF, -INF, NaN, 0.5f}, 6).requiresGrad_(true);
        Tensor l2 = u2.logaddexp2(v.detach());
        assertArrayEquals(new float[] {2.5849623680114746f, 3, INF, -INF, NaN, 1.5f}, l2.toFloatArray(), 4e-7f);
        l2.sum().backward();
        assertArrayEquals(new float[] {0.3333333432674408f, 0, NaN, NaN, NaN, 0.5f}, u2.grad().toFloatArray(), 1e-7f);
        check(in -> in[0].logaddexp(in[1]).add(in[0].logaddexp2(in[1])), Tensor.randn(3, 4), Tensor.randn(4));
    }
}
