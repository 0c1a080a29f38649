package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** isclose, allclose, equal, linspace and one_hot, with PyTorch 1.13's answers for the same calls. */
class ClosenessTest extends OnReference {
    private static Tensor t(double... v) {
        return Tensor.fromArray(v);
    }

    @Test
    void closenessAsPyTorch() {
        assertFalse(t(1, 2).allclose(t(1.00002, 2)), "a difference of 2e-5 exceeds 1e-8 + 1e-5 * 1.00002");
        assertTrue(t(1, 2).allclose(t(1.000005, 2)));
        assertFalse(t(1, Double.NaN).allclose(t(1, Double.NaN)));
        assertTrue(t(1, Double.NaN).allclose(t(1, Double.NaN), 1e-5, 1e-8, true));
        assertTrue(t(Double.POSITIVE_INFINITY, 1).allclose(t(Double.POSITIVE_INFINITY, 1)), "equal infinities are close");
        assertFalse(t(Double.POSITIVE_INFINITY).allclose(t(Double.NEGATIVE_INFINITY)));
        assertTrue(t(1, 1).allclose(t(1)), "broadcast");
        assertArrayEquals(new double[] {1, 0}, t(1, 2).isclose(t(1, 2.1), 0, 0.05, false).toDoubleArray());
        assertTrue(t(1, 2).equal(t(1, 2)));
        assertFalse(t(1, 2).equal(t(1, 2).reshape(1, 2)), "equal needs the same shape");
        assertFalse(t(Double.NaN).equal(t(Double.NaN)));
        assertTrue(Tensor.zeros(0, 3).equal(Tensor.zeros(0, 3)));
        assertMessage(() -> t(1, 2).allclose(t(1, 2, 3)), "isclose", "(2,)", "(3,)");
        assertMessage(() -> t(1).isclose(t(1), -1, 0, false), "isclose: rtol and atol must be non-negative");
    }

    /**
     * PyTorch's float32 values, within 2 ulps: its vectorised CPU loop computes some elements
     * as base + k·step from a vector's first element, so a few differ from the scalar formula
     * used here (start + i·step up to the middle, end − (n − 1 − i)·step after) in the last bit.
     */
    @Test
    void linspaceAsPyTorch() {
        ulps(new float[] {0.0f, 0.1666666716337204f, 0.3333333432674408f, 0.5f, 0.6666666269302368f, 0.8333333134651184f, 1.0f},
                Tensor.linspace(0, 1, 7));
        ulps(new float[] {-3.299999952316284f, -1.959999918937683f, -0.619999885559082f, 0.720000147819519f, 2.06000018119812f,
                3.4000000953674316f, 4.740000247955322f, 6.080000400543213f, 7.420000076293945f, 8.760000228881836f, 10.100000381469727f},
                Tensor.linspace(-3.3, 10.1, 11));
        ulps(new float[] {2}, Tensor.linspace(2, 2, 1));
        assertArrayEquals(new int[] {0}, Tensor.linspace(0, 1, 0).shape());
        ulps(new float[] {5, 1.6666667461395264f, -1.6666667461395264f, -5}, Tensor.linspace(5, -5, 4));
        assertMessage(() -> Tensor.linspace(0, 1, -1), "linspace: number of steps must be non-negative, got -1");
    }

    private static void ulps(float[] expected, Tensor actual) {
        float[] a = actual.toFloatArray();
        assertArrayEquals(new int[] {expected.length}, actual.shape());
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - expected[i]) <= 2 * Math.ulp(expected[i]), "element " + i + ": " + a[i] + ", PyTorch " + expected[i]);
        }
        assertTrue(a[0] == expected[0] && a[a.length - 1] == expected[expected.length - 1], "the ends are exact");
    }

    @Test
    void oneHotAsPyTorch() {
        Tensor rows = Classification.oneHot(Tensor.tensor(new long[] {0, 2, 1}), -1);
        assertArrayEquals(new int[] {3, 3}, rows.shape());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, rows.toLongArray());
        Tensor nested = Classification.oneHot(Tensor.tensor(new long[][] {{0, 2}}), 4);
        assertArrayEquals(new int[] {1, 2, 4}, nested.shape());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0, 1, 0}, nested.toLongArray());
        assertArrayEquals(new int[] {0, 3}, Classification.oneHot(Tensor.tensor(new long[0]), 3).shape());
        assertMessage(() -> Classification.oneHot(Tensor.tensor(new long[] {0, 5}), 4), "oneHot: class values must be smaller than numClasses 4");
        assertMessage(() -> Classification.oneHot(Tensor.tensor(new long[] {-1}), 4), "oneHot: class values must be non-negative");
        assertMessage(() -> Classification.oneHot(t(0), 4), "oneHot: labels must be int64");
        assertMessage(() -> Classification.oneHot(Tensor.tensor(new long[0]), -1), "oneHot: cannot infer the number of classes");
    }
}
