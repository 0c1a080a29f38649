package dev.cortado.cpu;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertParity;
import static dev.cortado.testing.Inputs.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Block edges of the packed GEMM and independence of the result from the thread count. */
class GemmTest {
    private static final Device REF = ReferenceBackend.DEVICE;
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    @Test
    void crossesEveryBlockBoundary() {
        int nc = Gemm.NC;
        assertParity("wide", Device.CPU, 1e-5, in -> in[0].matmul(in[1]), randn(1, REF, 7, 5), randn(2, REF, 5, nc + 3));
        assertParity("deep", Device.CPU, 1e-4, in -> in[0].matmul(in[1]), randn(3, REF, 13, 2 * Gemm.KC + 5), randn(4, REF, 2 * Gemm.KC + 5, 37));
        assertParity("tall", Device.CPU, 1e-5, in -> in[0].matmul(in[1]), randn(5, REF, 3 * Gemm.MC + 1, 20), randn(6, REF, 20, Gemm.NR + 1));
        assertParity("zero inner", Device.CPU, 0, in -> in[0].matmul(in[1]), randn(7, REF, 3, 0), randn(8, REF, 0, 4));
    }

    /** Aᵀ·B, a weight gradient's shape: A's strips are copied as runs of a column, except a partial last strip. */
    @Test
    void transposedAAcrossBlocks() {
        int m = 2 * Gemm.MC + Gemm.MR + 2;
        int k = Gemm.KC + 7;
        assertParity("transposed A, row and depth blocks, a partial strip", Device.CPU, 1e-4, in -> in[0].t().matmul(in[1]),
                randn(11, REF, k, m), randn(12, REF, k, 40));
        assertParity("transposed A, a column window of a wider matrix", Device.CPU, 1e-5, in -> in[0].narrow(1, 5, 3 * Gemm.MR).t().matmul(in[1]),
                randn(13, REF, 33, 3 * Gemm.MR + 9), randn(14, REF, 33, 50));
    }

    @Test
    void transposedBIsGatheredAcrossStripsAndDepthBlocks() {
        // Full strips of a transposed B are gathered a row at a time; a partial strip, a depth
        // block boundary and a window of a wider matrix (an offset, a column stride past k) too.
        int n = 3 * Gemm.NR + 5;
        int k = Gemm.KC + 9;
        assertParity("A · Bᵀ over strips and depth blocks", Device.CPU, 1e-4, in -> in[0].matmul(in[1].t()),
                randn(15, REF, 2 * Gemm.MR + 30, k), randn(16, REF, n, k));
        assertParity("A · a window of a wider matrixᵀ", Device.CPU, 1e-5, in -> in[0].matmul(in[1].narrow(1, 3, 40).t()),
                randn(17, REF, 25, 40), randn(18, REF, n, 47));
    }

    @Test
    void fewRowsReadBInPlace() {
        int m = Gemm.UNPACKED_B_MAX_M;
        int n = 2 * Gemm.NR + 5;
        assertParity("few rows, partial strip, two depth blocks", Device.CPU, 1e-4, in -> in[0].matmul(in[1]),
                randn(1, REF, m, Gemm.KC + 9), randn(2, REF, Gemm.KC + 9, n));
        assertParity("few rows, B a column window of a wider matrix", Device.CPU, 1e-5, in -> in[0].matmul(in[1].narrow(1, 3, n)),
                randn(3, REF, 7, 40), randn(4, REF, 40, n + 11));
        assertParity("few rows, wider than one column block", Device.CPU, 1e-5, in -> in[0].matmul(in[1]),
                randn(5, REF, 4, 20), randn(6, REF, 20, Gemm.NC + Gemm.NR));
        assertParity("one row past the in-place limit", Device.CPU, 1e-5, in -> in[0].matmul(in[1]),
                randn(7, REF, m + 1, 30), randn(8, REF, 30, n));
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Tensor a = randn(1, Device.CPU, 257, 300);
        Tensor b = randn(2, Device.CPU, 300, 190);
        Cortado.setNumThreads(1);
        float[] mm1 = a.matmul(b).toFloatArray();
        float[] sum1 = a.sum(0).toFloatArray();
        double all1 = a.mul(a).sum().item();
        Cortado.setNumThreads(2);
        assertArrayEquals(mm1, a.matmul(b).toFloatArray());
        assertArrayEquals(sum1, a.sum(0).toFloatArray());
        assertArrayEquals(new double[] {all1}, new double[] {a.mul(a).sum().item()});
        Cortado.setNumThreads(3);
        assertArrayEquals(mm1, a.matmul(b).toFloatArray());
    }

    @Test
    void smallProductsSplitOverThreadsAreBitIdenticalAndMatchTheReference() {
        // Under the size where a product is split into whole serial products: a row-major B
        // (split by rows of A, B read in place) and a transposed one (split by columns).
        Tensor a = randn(11, REF, 127, 300);
        Tensor b = randn(12, REF, 300, 75);
        Tensor bt = randn(13, REF, 75, 300);
        assertParity("small, row-major B", Device.CPU, 1e-4, in -> in[0].matmul(in[1]), a, b);
        assertParity("small, transposed B", Device.CPU, 1e-4, in -> in[0].matmul(in[1].t()), a, bt);
        Tensor ac = a.to(Device.CPU);
        Tensor bc = b.to(Device.CPU);
        Tensor btc = bt.to(Device.CPU);
        Cortado.setNumThreads(1);
        float[] rows1 = ac.matmul(bc).toFloatArray();
        float[] cols1 = ac.matmul(btc.t()).toFloatArray();
        for (int t : new int[] {2, 3}) {
            Cortado.setNumThreads(t);
            assertArrayEquals(rows1, ac.matmul(bc).toFloatArray(), t + " threads, row-major B");
            assertArrayEquals(cols1, ac.matmul(btc.t()).toFloatArray(), t + " threads, transposed B");
        }
    }

    @Test
    void fewColumnsOfATransposedBAreDotProducts() {
        // x·Wᵀ with at most Dots.MAX_N outputs: whole register tiles, edge rows and columns, a
        // depth with a tail past the last vector, and the limits on either side.
        int[][] mnk = {{128, 10, 1728}, {5, 3, 2 * Dots.MIN_K + 7}, {1, 1, Dots.MIN_K}, {9, Dots.MAX_N, Dots.MIN_K + 1},
            {9, Dots.MAX_N + 1, Dots.MIN_K}, {9, 10, Dots.MIN_K - 1}, {37, 120, 784}, {6, Dots.MAX_N_DEEP, Dots.MIN_K_DEEP + 5},
            {6, Dots.MAX_N_DEEP + 1, Dots.MIN_K_DEEP}, {6, 33, Dots.MIN_K_DEEP - 1}};
        assertTrue(Dots.suits(120, 784), "LeNet's first Linear");
        assertFalse(Dots.suits(128, 256), "the MLP's last hidden layer");
        for (int[] s : mnk) {
            assertParity(s[0] + "x" + s[2] + " · (" + s[1] + "x" + s[2] + ")ᵀ", Device.CPU, 1e-4, in -> in[0].matmul(in[1].t()),
                    randn(s[0], REF, s[0], s[2]), randn(s[1], REF, s[1], s[2]));
        }
        for (int n : new int[] {10, 120}) {
            Tensor a = randn(21, Device.CPU, 67, 800);
            Tensor w = randn(22, Device.CPU, n, 800);
            Cortado.setNumThreads(1);
            float[] one = a.matmul(w.t()).toFloatArray();
            for (int t : new int[] {2, 3}) {
                Cortado.setNumThreads(t);
                assertArrayEquals(one, a.matmul(w.t()).toFloatArray(), t + " threads, " + n + " columns");
            }
        }
    }

    @Test
    void dotProductsAddToC() {
        int m = 6;
        int n = 5;
        int k = Dots.MIN_K + 3;
        float[] a = randn(31, Device.CPU, m, k).toFloatArray();
        float[] b = randn(32, Device.CPU, n, k).toFloatArray();
        float[] c = randn(33, Device.CPU, m, n).toFloatArray();
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[j * k + p];
                }
                expected[i * n + j] += (float) s;
            }
        }
        Gemm.gemm(m, n, k, new Gemm.Operand(a, 0, k, 1), new Gemm.Operand(b, 0, 1, k), c, 0, n, true, true);
        for (int i = 0; i < c.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], c[i], 1e-4 * (1 + Math.abs(expected[i])), "element " + i);
        }
    }
}
