package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** amax/amin, kthvalue, median, any, all and countNonzero against what PyTorch 1.13 prints. */
class OrderAndLogicTest extends OnReference {
    private static Tensor rows() {
        return Tensor.fromArray(new float[] {3, 1, 3, 2, 5, 5, 0, -1}, 2, 4);
    }

    /** One dim and keepdim, as PyTorch writes {@code x.mean(1, keepdim=True)}: the same as the dims-array forms. */
    @Test
    void singleDimOverloadsMatchTheArrayForms() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, Float.NaN, 4, 5, 6}, 2, 3);
        Tensor finite = x.nanToNum(0.0, 0.0, 0.0);
        assertArrayEquals(finite.sum(new int[] {1}, true).toFloatArray(), finite.sum(1, true).toFloatArray());
        assertArrayEquals(new int[] {2, 1}, finite.mean(1, true).shape());
        assertArrayEquals(finite.mean(new int[] {0}, false).toFloatArray(), finite.mean(0, false).toFloatArray());
        assertArrayEquals(new float[] {1, 6}, finite.amax(1, false).toFloatArray());
        assertArrayEquals(new float[] {-2, 4}, finite.amin(1, false).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, x.any(1, false).toFloatArray());
        assertArrayEquals(new float[] {0, 1}, finite.all(1, false).toFloatArray());
        assertArrayEquals(new float[] {-1, 15}, x.nansum(1, false).toFloatArray());
        assertArrayEquals(new float[] {-0.5f, 5}, x.nanmean(1, false).toFloatArray());
        assertArrayEquals(new int[] {2, 12}, Tensor.zeros(2, 3, 4).flatten(1).shape());
    }

    @Test
    void amaxAndAminShareTheGradientAmongTies() {
        Tensor x = rows().requiresGrad_(true);
        Tensor a = x.amax(new int[] {1}, false);
        assertArrayEquals(new double[] {3, 5}, a.toDoubleArray());
        a.sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0.5, 0.5, 0, 0}, x.grad().toDoubleArray());
        Tensor y = rows().requiresGrad_(true);
        y.amin(new int[0], false).backward();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 1}, y.grad().toDoubleArray());
        assertArrayEquals(new int[] {2, 1}, rows().amax(new int[] {1}, true).shape());
        assertMessage(() -> Tensor.zeros(2, 0).amax(new int[] {1}, false), "amax: expected reduction dim 1 to have non-zero size");
        check(in -> in[0].amax(new int[] {0, 2}, true), Tensor.randn(3, 2, 4));
    }

    @Test
    void kthvalueAndMedianPickTheSortedPosition() {
        ValuesIndices k = rows().kthvalue(2, 1, false);
        assertArrayEquals(new double[] {2, 0}, k.values().toDoubleArray());
        assertArrayEquals(new long[] {3, 2}, k.indices().toLongArray());
        Tensor withNaN = Tensor.fromArray(new float[] {3, 1, 3, 2, 5, 5, 0, -1, 2, Float.NaN, 1, 4}, 3, 4);
        ValuesIndices m = withNaN.median(1, false);
        double[] values = m.values().toDoubleArray();
        assertEquals(2.0, values[0]);
        assertEquals(0.0, values[1]);
        assertTrue(Double.isNaN(values[2]));
        assertArrayEquals(new long[] {3, 2, 1}, m.indices().toLongArray());
        assertEquals(2.0, Tensor.fromArray(new float[] {4, 1, 3, 2}, 4).median().item());
        assertTrue(Double.isNaN(Tensor.fromArray(new float[] {4, Float.NaN, 3}, 3).median().item()));
        Tensor x = rows().requiresGrad_(true);
        x.median(1, false).values().sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 1, 0}, x.grad().toDoubleArray());
        assertArrayEquals(new int[] {2, 1}, rows().kthvalue(1, 1, true).values().shape());
        assertMessage(() -> rows().kthvalue(5, 1, false), "kthvalue: k = 5 is out of range for dimension 1 of size 4");
        assertMessage(() -> Tensor.zeros(0).median(), "median: the median of an empty tensor is undefined");
    }

    @Test
    void anyAllAndCountNonzero() {
        assertArrayEquals(new double[] {1, 0}, Tensor.fromArray(new float[] {0, 1, 0, 0}, 2, 2).any(new int[] {1}, false).toDoubleArray());
        assertArrayEquals(new double[] {0, 1}, Tensor.fromArray(new float[] {0, 1, 2, 3}, 2, 2).all(new int[] {1}, false).toDoubleArray());
        assertEquals(1.0, Tensor.fromArray(new float[] {Float.NaN, 0}, 2).any().item());
        assertEquals(1.0, Tensor.zeros(0).all().item());
        assertEquals(0.0, Tensor.zeros(0).any().item());
        Tensor c = Tensor.fromArray(new float[] {0, 1, 2, 3}, 2, 2).countNonzero(0);
        assertEquals(DType.INT64, c.dtype());
        assertArrayEquals(new long[] {1, 2}, c.toLongArray());
        assertArrayEquals(new long[] {3}, new long[] {Tensor.fromArray(new float[] {0, 1, 2, 3}, 2, 2).countNonzero().toLongArray()[0]});
        assertEquals(1.0, Tensor.fromArray(new long[] {0, 7}, 2).any().item());
    }
}
