package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A·Bᵀ where A (m × k) and B (n × k) both run along k with unit stride, for few columns: a
 * classifier layer's forward product x·Wᵀ with ten outputs. Each element is a dot product of two
 * contiguous rows, so nothing is packed and nothing is computed twice; the packed GEMM pads ten
 * columns to a strip of 2·L and computes all of them, after gathering Wᵀ column by column to pack
 * it. ThreeLayerConvNet's 102400 → 10 layer at batch 64: 6.3 → 2.6 ms on one thread, 6.9 → 1.4
 * ms on two. With many columns the packed GEMM stays ahead (summing a vector's lanes per element
 * costs about as much as a dozen multiply-add vectors) unless the dot products are long, so
 * {@link Gemm} sends here products of at most {@link #MAX_N} columns and a depth of at least
 * {@link #MIN_K}, or of at most {@link #MAX_N_DEEP} columns and a depth of at least
 * {@link #MIN_K_DEEP}. There, on two threads the dot products also pack nothing twice, where the
 * packed GEMM split in two packs all of A in each half: LeNet's 784 → 120 layer at batch 128
 * took 120 against 170–230 µs on two threads (about 250 µs either way on one), the 3-conv
 * CNN's 576 → 128 layer 121 against 138–149 µs; at a depth of 256 they lost, 111 against 88 µs.
 *
 * <p>Each element is the lanes of one vector accumulator summed in order, lane 0 first, plus the
 * k mod L tail in order, computed the same way inside a tile or at an edge; which thread computes
 * it never changes it.
 */
final class Dots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of A and of B per register tile. */
    static final int TM = 4;
    static final int TN = 4;
    /** Columns of C up to which the dot products beat the packed GEMM (measured: 16 by 2.1×, 10 by 1.3–3.4×)... */
    static final int MAX_N = 16;
    /** ... given at least this depth (at 84, with five vectors and a tail per dot, they lose by half). */
    static final int MIN_K = 8 * L;
    /** Up to this many columns, dot products of at least {@link #MIN_K_DEEP} also win. */
    static final int MAX_N_DEEP = 128;
    static final int MIN_K_DEEP = 24 * L;
    private static final Scratch LANES = new Scratch();

    private Dots() {
    }

    /** Whether C = A·Bᵀ of n columns and depth k is faster here than packed. */
    static boolean suits(int n, int k) {
        return n <= MAX_N && k >= MIN_K || n <= MAX_N_DEEP && k >= MIN_K_DEEP;
    }

    /**
     * C (m × n at co, rows ldc apart) = A (m × k at ao, rows lda apart) · Bᵀ (B n × k at bo, rows
     * ldb apart), added to C when {@code addTo}; split over threads by strips of TM rows when
     * {@code parallel}.
     */
    static void gemm(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                     boolean addTo, boolean parallel) {
        int strips = (m + TM - 1) / TM;
        Parallel.Range body = (s0, s1) -> {
            float[] lanes = LANES.get(TM * TN * L);
            for (int s = s0; s < s1; s++) {
                int i = s * TM;
                int rows = Math.min(TM, m - i);
                int j = 0;
                if (rows == TM) {
                    for (; j + TN <= n; j += TN) {
                        tile(k, a, ao + i * lda, lda, b, bo + j * ldb, ldb, c, co + i * ldc + j, ldc, addTo, lanes);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int jj = j; jj < n; jj++) {
                        float v = dot(k, a, ao + (i + r) * lda, b, bo + jj * ldb);
                        int at = co + (i + r) * ldc + jj;
                        c[at] = addTo ? c[at] + v : v;
                    }
                }
            }
        };
        if (parallel) {
            // Each strip reads all of B: at least 64k multiply-adds per chunk.
            Parallel.forRange(strips, Math.max(1, (1 << 16) / Math.max(1, TM * n * k)), body);
        } else {
            body.run(0, strips);
        }
    }

    /** One element: the same arithmetic as an element of {@link #tile}. */
    private static float dot(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (; p + L <= k; p += L) {
            acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), acc);
        }
        float s = Lanes.sum(acc);
        for (; p < k; p++) {
            s += a[ai + p] * b[bi + p];
        }
        return s;
    }

    /** TM × TN elements; sixteen named accumulators, stored to {@code lanes} and summed there. */
    private static void tile(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean addTo,
                             float[] lanes) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        int a1 = ai + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int b1 = bi + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        int p = 0;
        for (; p + L <= k; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, bi + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector x = FloatVector.fromArray(S, a, ai + p);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            x = FloatVector.fromArray(S, a, a1 + p);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
            x = FloatVector.fromArray(S, a, a2 + p);
            c20 = x.fma(y0, c20);
            c21 = x.fma(y1, c21);
            c22 = x.fma(y2, c22);
            c23 = x.fma(y3, c23);
            x = FloatVector.fromArray(S, a, a3 + p);
            c30 = x.fma(y0, c30);
            c31 = x.fma(y1, c31);
            c32 = x.fma(y2, c32);
            c33 = x.fma(y3, c33);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        c11.intoArray(lanes, 5 * L);
        c12.intoArray(lanes, 6 * L);
        c13.intoArray(lanes, 7 * L);
        c20.intoArray(lanes, 8 * L);
        c21.intoArray(lanes, 9 * L);
        c22.intoArray(lanes, 10 * L);
        c23.intoArray(lanes, 11 * L);
        c30.intoArray(lanes, 12 * L);
        c31.intoArray(lanes, 13 * L);
        c32.intoArray(lanes, 14 * L);
        c33.intoArray(lanes, 15 * L);
        for (int r = 0; r < TM; r++) {
            int ar = ai + r * lda;
            for (int q = 0; q < TN; q++) {
                float s = Lanes.sum(lanes, (r * TN + q) * L);
                int br = bi + q * ldb;
                for (int t = p; t < k; t++) {
                    s += a[ar + t] * b[br + t];
                }
                int o = ci + r * ldc + q;
                c[o] = addTo ? c[o] + s : s;
            }
        }
    }
}
