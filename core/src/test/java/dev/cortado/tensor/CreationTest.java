package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationTest extends OnReference {
    @Test
    void constantsRangesAndIdentity() {
        assertArrayEquals(new double[] {0, 0, 0, 0}, Tensor.zeros(2, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.ones(3).toDoubleArray(), 0);
        assertArrayEquals(new double[] {2.5, 2.5}, Tensor.full(new int[] {2}, 2.5).toDoubleArray(), 0);
        assertEquals(DType.INT64, Tensor.zeros(new int[] {2}, DType.INT64, Cortado.defaultDevice()).dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4).toLongArray());
        assertArrayEquals(new long[] {5, 3, 1}, Tensor.arange(5, 0, -2).toLongArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, Tensor.arange(0.0, 1.0, 0.25).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, Tensor.eye(2, 3).toDoubleArray(), 0);
        assertEquals(0, Tensor.scalar(3).dim());
        assertEquals(3, Tensor.scalar(3).item(), 0);
    }

    @Test
    void nestedArraysOfAnyRank() {
        Tensor t = Tensor.tensor(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}});
        assertArrayEquals(new int[] {1, 3, 2}, t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray(), 0);
        Tensor l = Tensor.tensor(new long[][] {{Long.MAX_VALUE, -1}});
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[] {Long.MAX_VALUE, -1}, l.toLongArray());
        assertEquals(DType.INT64, Tensor.tensor(new int[] {1, 2}).dtype());
        assertArrayEquals(new int[] {0, 0}, Tensor.tensor(new double[0][4]).shape());
        assertArrayEquals(new int[] {2, 3}, Tensor.fromArray(new float[6], 2, 3).shape());
        assertArrayEquals(new int[] {6}, Tensor.fromArray(new long[6]).shape());
    }

    @Test
    void anEmptyShapeIsZeroDimensionalSoThatEveryTensorRoundTrips() {
        Tensor loss = Tensor.fromArray(new float[] {1.5f, 2.5f}).sum();
        Tensor back = Tensor.fromArray(loss.toFloatArray(), loss.shape());
        assertArrayEquals(new int[0], back.shape());
        assertEquals(4.0, back.item(), 0);
        assertArrayEquals(new int[0], Tensor.fromArray(new long[] {7}, new int[0]).shape());
        assertArrayEquals(new int[] {1}, Tensor.fromArray(new double[] {7}).shape(), "no shape: one dimension, as torch.tensor([7.])");
        dev.cortado.testing.Inputs.assertMessage(() -> Tensor.fromArray(new float[3], new int[0]), "fromArray", "3 values", "()");
    }

    @Test
    void likeForms() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        assertEquals(DType.INT64, x.zerosLike().dtype());
        assertArrayEquals(new int[] {2, 3}, x.onesLike().shape());
        assertArrayEquals(new long[] {7, 7, 7, 7, 7, 7}, x.fullLike(7).toLongArray());
        assertArrayEquals(new int[] {2, 3}, x.randLike().shape());
        assertArrayEquals(new int[] {2, 3}, x.randnLike().shape());
        assertTrue(java.util.Arrays.stream(x.randintLike(3, 5).toLongArray()).allMatch(v -> v >= 3 && v < 5));
    }

    @Test
    void seededRandomnessRepeatsExactly() {
        Cortado.manualSeed(42);
        double[] a = Tensor.randn(1000).toDoubleArray();
        double[] u = Tensor.rand(100).toDoubleArray();
        long[] i = Tensor.randint(-3, 3, 100).toLongArray();
        Cortado.manualSeed(42);
        assertArrayEquals(a, Tensor.randn(1000).toDoubleArray(), 0);
        assertArrayEquals(u, Tensor.rand(100).toDoubleArray(), 0);
        assertArrayEquals(i, Tensor.randint(-3, 3, 100).toLongArray());
        assertNotEquals(a[0], Tensor.randn(1).item());
        Tensor n = Tensor.fromArray(a, 1000);
        assertEquals(0, n.mean().item(), 0.1);
        assertEquals(1, n.std(true).item(), 0.1);
        assertTrue(java.util.Arrays.stream(u).allMatch(v -> v >= 0 && v < 1));
        assertTrue(java.util.Arrays.stream(i).allMatch(v -> v >= -3 && v < 3));
        int[] p = new Generator(7).permutation(10);
        assertEquals(45, java.util.Arrays.stream(p).sum());
    }
}
