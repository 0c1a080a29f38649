package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nanmedian, aminmax, sinc, heaviside, index_fill and index_copy against what PyTorch 1.13 prints. */
class MediansAndFillsTest extends OnReference {
    private static final float NaN = Float.NaN;

    @Test
    void nanmedianLeavesNaNOut() {
        Tensor x = Tensor.fromArray(new float[] {3, NaN, 1, 2, NaN, NaN, NaN, NaN, 5, 4, NaN, NaN, 1, 2, 3, 4}, 4, 4);
        ValuesIndices m = x.nanmedian(1, false);
        assertArrayEquals(new float[] {2, NaN, 4, 2}, m.values().toFloatArray());
        long[] at = m.indices().toLongArray();
        assertEquals(3, at[0]);
        assertEquals(1, at[2], "PyTorch's position of the lower median, 4");
        assertEquals(1, at[3]);
        assertEquals(3, x.nanmedian().item(), 0);
        assertTrue(Double.isNaN(Tensor.fromArray(new float[] {NaN, NaN}, 2).nanmedian().item()));
        Tensor w = Tensor.randn(2, 5).requiresGrad_(true);
        check(in -> in[0].nanmedian(1, true).values(), Tensor.fromArray(new float[] {0.3f, -1.2f, 2.5f, 0.9f, -0.1f, 1.1f}, 2, 3));
        assertArrayEquals(new int[] {2, 1}, w.nanmedian(1, true).values().shape());
        assertMessage(() -> Tensor.zeros(2, 0).nanmedian(1, false), "nanmedian: cannot take the median of dimension 1 of size 0");
    }

    @Test
    void aminmaxSincAndHeaviside() {
        Tensor a = Tensor.fromArray(new float[] {3, 1, NaN, 2, 5, 4}, 2, 3);
        MinMax all = a.aminmax();
        assertTrue(Double.isNaN(all.min().item()) && Double.isNaN(all.max().item()), "NaN propagates");
        MinMax rows = a.aminmax(1, true);
        assertArrayEquals(new float[] {NaN, 2}, rows.min().toFloatArray());
        assertArrayEquals(new float[] {NaN, 5}, rows.max().toFloatArray());
        assertArrayEquals(new int[] {2, 1}, rows.min().shape());
        assertMessage(() -> Tensor.zeros(0).aminmax(), "aminmax: cannot compute aminmax over an empty dimension as the operation has no identity");

        Tensor s = Tensor.fromArray(new float[] {0, 0.5f, -1, 1e-3f, 3, Float.POSITIVE_INFINITY}, 6).requiresGrad_(true);
        Tensor y = s.sinc();
        assertEquals("SincBackward0", y.gradFn().name());
        assertArrayEquals(new float[] {1, 0.6366197466850281f, -2.7827534054836178e-08f, 0.9999983906745911f, -2.530538223410872e-09f, NaN},
                y.toFloatArray(), 1e-7f);
        y.sum().backward();
        float[] g = s.grad().toFloatArray();
        // Near 0 the formula subtracts nearly equal terms: PyTorch's float gives -0.0033351 at 1e-3,
        // the exact slope is -π²/3 · 1e-3 = -0.0032899; either is within the rounding of the inputs.
        assertEquals(-Math.PI * Math.PI / 3 * 1e-3, g[3], 5e-5);
        g[3] = 0;
        assertArrayEquals(new float[] {0, -1.2732396125793457f, 1, 0, -0.3333333432674408f, NaN}, g, 2e-6f);
        check(in -> in[0].sinc(), Tensor.randn(7));

        assertArrayEquals(new float[] {0, 0.5f, 1, 0},
                Tensor.fromArray(new float[] {-1, 0, 2, NaN}, 4).heaviside(Tensor.fromArray(new float[] {0.5f}, 1)).toFloatArray());
    }

    @Test
    void indexFillAndCopyReplaceSlices() {
        assertArrayEquals(new float[] {7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0},
                Tensor.zeros(3, 4).indexFill(1, Tensor.fromArray(new long[] {0, 2}, 2), 7).toFloatArray());
        Tensor src = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {3, 4, 0, 0, 0, 0, 1, 2}, Tensor.zeros(4, 2).indexCopy(0, Tensor.fromArray(new long[] {3, 0}, 2), src).toFloatArray());
        Tensor x = Tensor.ones(4, 2).requiresGrad_(true);
        Tensor s = src.clone().requiresGrad_(true);
        x.indexCopy(0, Tensor.fromArray(new long[] {3, 0}, 2), s).mul(Tensor.arange(0.0, 8.0, 1.0).reshape(4, 2)).sum().backward();
        assertArrayEquals(new float[] {0, 0, 2, 3, 4, 5, 0, 0}, x.grad().toFloatArray(), "replaced slices get no gradient");
        assertArrayEquals(new float[] {6, 7, 0, 1}, s.grad().toFloatArray(), "source slice i gets the gradient at index[i]");
        Tensor t = Tensor.zeros(2, 3);
        t.indexFill_(0, Tensor.fromArray(new long[] {1}, 1), -1);
        assertArrayEquals(new float[] {0, 0, 0, -1, -1, -1}, t.toFloatArray());
        assertMessage(() -> Tensor.zeros(3).indexFill(0, Tensor.fromArray(new long[] {3}, 1), 1), "index_fill: index 3 is out of bounds for dimension 0 with size 3");
        assertMessage(() -> Tensor.zeros(3).indexCopy(0, Tensor.fromArray(new long[] {1, 1}, 2), Tensor.ones(2)), "index_copy: index holds 1 twice");
        assertMessage(() -> Tensor.zeros(3).indexFill(0, Tensor.zeros(1), 1), "index_fill: index must be a 0-d or 1-d int64 tensor");
        assertMessage(() -> Tensor.zeros(4, 2).indexCopy(0, Tensor.fromArray(new long[] {3, 0}, 2), Tensor.ones(2, 3)),
                "index_copy: source must be float32 (2, 2) (the input's shape with dim 0 as long as index), got float32 (2, 3)");
        assertMessage(() -> Tensor.scalar(1).nanmedian(1, false), "nanmedian: dimension out of range");
    }

    @Test
    void modeIsPyTorchs() {
        // PyTorch 1.13: torch.mode(x, 1): the smallest of equally frequent values, the index of its last occurrence.
        Tensor x = Tensor.fromArray(new float[] {1, 2, 2, 3, 3, 1, 5, 4, 4, 5, 6, 6, 7, 7, 7, 1, 1, 1}, 3, 6);
        ValuesIndices m = x.mode(1, false);
        assertArrayEquals(new double[] {1, 4, 1}, m.values().toDoubleArray());
        assertArrayEquals(new long[] {5, 2, 5}, m.indices().toLongArray());
        ValuesIndices columns = Tensor.fromArray(new float[] {1, 2, 1, 3}, 2, 2).mode(0, true);
        assertArrayEquals(new int[] {1, 2}, columns.values().shape());
        assertArrayEquals(new double[] {1, 2}, columns.values().toDoubleArray());
        assertArrayEquals(new long[] {1, 0}, columns.indices().toLongArray());
        ValuesIndices ints = Tensor.fromArray(new long[] {2, 2, 1, 1, 3}, 5).mode(0, false);
        assertEquals(1, ints.values().item(), 0);
        assertEquals(3, ints.indices().item(), 0);
        Tensor leaf = Tensor.fromArray(new float[] {3, 1, 3, 2}, 4).requiresGrad_(true);
        leaf.mode(0, false).values().backward();
        assertArrayEquals(new double[] {0, 0, 1, 0}, leaf.grad().toDoubleArray(), "the gradient reaches the chosen occurrence");
        assertMessage(() -> Tensor.zeros(2, 0).mode(1, false), "mode: cannot take the mode of dimension 1 of size 0 in shape (2, 0)");
    }
}
