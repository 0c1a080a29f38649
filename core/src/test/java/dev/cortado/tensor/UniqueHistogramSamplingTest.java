package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** unique, unique_consecutive, histc, multinomial and bernoulli; the deterministic ones against PyTorch 1.13's output. */
class UniqueHistogramSamplingTest extends OnReference {
    private static final float NaN = Float.NaN;

    @Test
    void uniqueValuesInversesAndCounts() {
        UniqueResult u = Tensor.fromArray(new long[] {3, 1, 3, 2, 1}, 5).unique();
        assertArrayEquals(new long[] {1, 2, 3}, u.values().toLongArray());
        assertArrayEquals(new long[] {2, 0, 2, 1, 0}, u.inverse().toLongArray());
        assertArrayEquals(new long[] {2, 1, 2}, u.counts().toLongArray());
        UniqueResult c = Tensor.fromArray(new long[] {1, 1, 2, 2, 3, 1, 1}, 7).uniqueConsecutive();
        assertArrayEquals(new long[] {1, 2, 3, 1}, c.values().toLongArray());
        assertArrayEquals(new long[] {0, 0, 1, 1, 2, 3, 3}, c.inverse().toLongArray());
        assertArrayEquals(new long[] {2, 2, 1, 2}, c.counts().toLongArray());
        UniqueResult rows = Tensor.fromArray(new long[] {1, 2, 1, 2, 0, 5}, 3, 2).unique(0);
        assertArrayEquals(new long[] {0, 5, 1, 2}, rows.values().toLongArray());
        assertArrayEquals(new int[] {2, 2}, rows.values().shape());
        assertArrayEquals(new long[] {1, 1, 0}, rows.inverse().toLongArray());
        assertArrayEquals(new long[] {1, 2}, rows.counts().toLongArray());
        // NaN sorts last and equals nothing, so each NaN is its own value; -0 and 0 are one value.
        UniqueResult f = Tensor.fromArray(new float[] {3, 1, NaN, 3, -0f, NaN, 0}, 7).unique();
        assertArrayEquals(new float[] {-0f, 1, 3, NaN, NaN}, f.values().toFloatArray());
        assertArrayEquals(new long[] {2, 1, 3, 2, 0, 4, 0}, f.inverse().toLongArray());
        assertArrayEquals(new long[] {2, 1, 2, 1, 1}, f.counts().toLongArray());
        assertArrayEquals(new int[] {2, 2}, Tensor.fromArray(new float[] {2, 1, 1, 2}, 2, 2).unique().inverse().shape(), "inverse has the input's shape");
        assertEquals(0, Tensor.zeros(0).unique().values().numel());
        assertMessage(() -> Tensor.scalar(1).unique(0), "unique: cannot take unique slices along a dim of a 0-dim tensor");
    }

    @Test
    void histcBinsByPyTorchsEdges() {
        assertArrayEquals(new float[] {1, 2, 2, 1}, Tensor.fromArray(new float[] {1, 2, 1, 4, 2.5f, 0, 5}, 7).histc(4, 0, 4).toFloatArray());
        assertArrayEquals(new float[] {2, 0, 1}, Tensor.fromArray(new float[] {1, 2, 1}, 3).histc(3, 0, 0).toFloatArray(), "min = max = 0: the data's range");
        assertArrayEquals(new float[] {0, 0, 2, 0}, Tensor.fromArray(new float[] {2, 2}, 2).histc(4, 0, 0).toFloatArray(), "one value: widened by 1");
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0, 0, 1, 0, 1},
                Tensor.fromArray(new float[] {0.1f, 0.2f, 0.3f, 0.7f, 1}, 5).histc(10, 0, 1).toFloatArray(), "an element on an edge goes above it");
        assertArrayEquals(new float[] {1, 0}, Tensor.fromArray(new float[] {0.5f, NaN, -3}, 3).histc(2, 0, 2).toFloatArray(), "NaN and outsiders left out");
        assertMessage(() -> Tensor.ones(3).histc(0, 0, 1), "histc: bins must be > 0, got 0");
        assertMessage(() -> Tensor.ones(3).histc(2, 1, 0), "histc: range of [1.0, 0.0]");
    }

    @Test
    void multinomialDrawsOnlyPossibleCategories() {
        Cortado.manualSeed(7);
        Tensor w = Tensor.fromArray(new float[] {0, 3, 1, 0, 0, 0, 0, 2}, 2, 4);
        Tensor draws = w.multinomial(500, true);
        assertArrayEquals(new int[] {2, 500}, draws.shape());
        long[] d = draws.toLongArray();
        int ones = 0;
        for (int i = 0; i < 500; i++) {
            assertTrue(d[i] == 1 || d[i] == 2, "row 0 draws 1 or 2, got " + d[i]);
            ones += d[i] == 1 ? 1 : 0;
            assertEquals(3, d[500 + i], "row 1 has one possible category");
        }
        assertTrue(ones > 330 && ones < 420, "weight 3 of 4: about 375 of 500, got " + ones);
        long[] perm = Tensor.fromArray(new float[] {1, 1, 1, 1}, 4).multinomial(4, false).toLongArray();
        assertArrayEquals(new long[] {0, 1, 2, 3}, java.util.Arrays.stream(perm).sorted().toArray(), "without replacement: each once");
        Cortado.manualSeed(7);
        long[] again = w.multinomial(500, true).toLongArray();
        assertArrayEquals(d, again, "the same seed, the same draws");
        assertMessage(() -> w.multinomial(2, false), "multinomial: invalid multinomial distribution (with replacement=False, not enough");
        assertMessage(() -> Tensor.fromArray(new float[] {1, -1}, 2).multinomial(1, true), "multinomial: probability tensor contains either inf, nan or element < 0");
        assertMessage(() -> Tensor.zeros(3).multinomial(1, true), "multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
        assertMessage(() -> Tensor.ones(3).multinomial(4, false), "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
    }

    @Test
    void bernoulliDrawsWithTheGivenProbabilities() {
        Cortado.manualSeed(3);
        Tensor p = Tensor.fromArray(new float[] {0, 1, 0.25f}, 3).expand(2000, 3).contiguous();
        Tensor b = p.bernoulli();
        float[] v = b.toFloatArray();
        int quarter = 0;
        for (int i = 0; i < 2000; i++) {
            assertEquals(0, v[3 * i], 0);
            assertEquals(1, v[3 * i + 1], 0);
            quarter += (int) v[3 * i + 2];
        }
        assertTrue(quarter > 430 && quarter < 570, "p = 0.25: about 500 of 2000, got " + quarter);
        assertMessage(() -> Tensor.fromArray(new float[] {1.5f}, 1).bernoulli(), "bernoulli: expects p to be in [0, 1]");
    }

    @Test
    void aliasesAgreeWithTheirOps() {
        Tensor x = Tensor.fromArray(new float[] {-1.5f, 2, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2, 2);
        assertArrayEquals(x.abs().toFloatArray(), x.absolute().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 1, 0}, x.isposinf().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 1}, x.isneginf().toFloatArray());
        assertArrayEquals(new float[] {2, -1.5f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, x.fliplr().toFloatArray());
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1.5f, 2}, x.flipud().toFloatArray());
        assertArrayEquals(new int[] {4}, x.ravel().shape());
        assertArrayEquals(new int[] {2, 4, 3}, Tensor.zeros(2, 3, 4).mT().shape());
        assertArrayEquals(new float[] {0, 0}, x.newZeros(2).toFloatArray());
        assertEquals(-1, Tensor.fromArray(new float[] {-1.7f}, 1).fix().item(), 0);
        assertTrue(x.isFloatingPoint());
        assertMessage(() -> Tensor.ones(3).mT(), "mT: tensor.mT is only supported on matrices or batches of matrices, got 1-D");
    }
}
