package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix product C = A·B for any strides of A and B (so transposed operands
 * cost no copy). Goto-style: B is packed into NR-column strips per KC×NC block, A into MR-row
 * strips per MC×KC block, and a 6 × (2 vectors) register-blocked kernel does the FMAs.
 * Each element of C is summed by one thread in a fixed order, so results never depend on the
 * thread count.
 *
 * <p>When A has only a few rows (convolutions with 16 filters, whose B is an im2col matrix) each
 * packed element of B would be used by at most {@link #UNPACKED_B_MAX_M} rows, so packing costs
 * about as much as the product; then full strips of a row-major B are read in place and only a
 * partial last strip is packed.
 */
final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 64 * NR;
    /** Below this many multiply-adds packing costs more than it saves. */
    private static final long SMALL = 16 * 16 * 16;
    /**
     * Up to this many multiply-adds, a parallel product is split by rows or columns into one whole
     * serial product per thread (LeNet's 784-120 layer is 12M: 1.6 → 1.8 times faster on two
     * threads than on one, with the whole LeNet step; a 256³ product, 16.8M, is faster blocked:
     * 357 against 300 GFLOP/s). Each part packs all of the other operand, so more parts than
     * threads cost more than their balancing saves: with four parts on two threads, 128·576·128
     * (the 3-conv CNN's first Linear) was no faster than on one thread, 94 against 121 µs, and
     * 64·3072·350 took 986 against 991 µs; with two, 83 and 649 µs. How a product is split never
     * changes its bits: each element is summed by one kernel call in the same order whichever part
     * holds it.
     */
    private static final long SPLIT_COLUMNS = 13L << 20;
    /** Up to this many rows of A, a row-major B is read in place rather than packed. */
    static final int UNPACKED_B_MAX_M = 3 * MR;

    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> B_PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private Gemm() {
    }

    /** A matrix operand: element (r, c) is {@code data[offset + r * rowStride + c * colStride]}. */
    record Operand(float[] data, int offset, int rowStride, int colStride) {
        float get(int r, int c) {
            return data[offset + r * rowStride + c * colStride];
        }
    }

    /**
     * C (m × n, row-major with leading dimension ldc, at offset co) = A (m × k) · B (k × n).
     * {@code parallel} false keeps the call on the current thread (used inside batched loops).
     */
    static void gemm(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc, boolean parallel) {
        gemm(m, n, k, a, b, c, co, ldc, parallel, false);
    }

    /** As {@link #gemm(int, int, int, Operand, Operand, float[], int, int, boolean)}, adding to C when {@code addTo}. */
    static void gemm(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc, boolean parallel, boolean addTo) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (long) m * n * k <= SMALL) {
            naive(m, n, k, a, b, c, co, ldc, addTo);
            return;
        }
        if (a.colStride == 1 && b.rowStride == 1 && Dots.suits(n, k)) {
            Dots.gemm(m, n, k, a.data, a.offset, a.rowStride, b.data, b.offset, b.colStride, c, co, ldc, addTo, parallel);
            return;
        }
        int allStrips = (n + NR - 1) / NR;
        int rowStrips = (m + MR - 1) / MR;
        if (parallel && Parallel.threads() > 1 && (long) m * n * k <= SPLIT_COLUMNS && b.colStride == 1 && rowStrips > 1) {
            // A small product whose B is row-major: split the rows of A, and read B in place, so that
            // nothing is packed twice (split by columns, each part packed all of A again).
            int parts = Math.min(rowStrips, Parallel.threads());
            Parallel.forChunks(parts, t -> {
                int i0 = rowStrips * t / parts * MR;
                int i1 = Math.min(m, rowStrips * (t + 1) / parts * MR);
                Operand aPart = new Operand(a.data, a.offset + i0 * a.rowStride, a.rowStride, a.colStride);
                blocked(i1 - i0, n, k, aPart, b, c, co + i0 * ldc, ldc, false, addTo, true);
            });
            return;
        }
        if (parallel && Parallel.threads() > 1 && (long) m * n * k <= SPLIT_COLUMNS && allStrips > 1) {
            // A small product (a fully connected layer's) as one parallel call over column ranges,
            // each a whole serial product: blocked the usual way it made a parallel call per
            // packing and per block, a few microseconds each, and the hand-offs took longer. Every
            // element is summed in the same order whichever part holds it.
            int parts = Math.min(allStrips, Parallel.threads());
            Parallel.forChunks(parts, t -> {
                int j0 = allStrips * t / parts * NR;
                int j1 = Math.min(n, allStrips * (t + 1) / parts * NR);
                Operand bPart = new Operand(b.data, b.offset + j0 * b.colStride, b.rowStride, b.colStride);
                blocked(m, j1 - j0, k, a, bPart, c, co + j0, ldc, false, addTo, false);
            });
            return;
        }
        blocked(m, n, k, a, b, c, co, ldc, parallel, addTo, false);
    }

    /**
     * The packed product, parallel inside over row blocks and column strips when {@code parallel};
     * a row-major B is read in place when A has few rows or {@code bInPlace} asks for it.
     */
    private static void blocked(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc, boolean parallel, boolean addTo,
                                boolean bInPlace) {
        boolean inPlace = b.colStride == 1 && (m <= UNPACKED_B_MAX_M || bInPlace);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int strips = (nc + NR - 1) / NR;
            // Strips read in place from B: all full ones when B is not packed, none otherwise.
            int direct = inPlace ? nc / NR : 0;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bp = B_PACK.get();
                int threads = parallel ? Parallel.threads() : 1;
                int jcp = jc;
                int pcp = pc;
                int toPack = strips - direct;
                if (threads > 1 && toPack > 1) {
                    // With few rows of A, packing B costs about as much as the product: share it out too.
                    int parts = Math.min(toPack, 4 * threads);
                    Parallel.forChunks(parts, t -> packB(b, pcp, kc, jcp, nc, bp, direct + toPack * t / parts, direct + toPack * (t + 1) / parts));
                } else if (toPack > 0) {
                    packB(b, pc, kc, jc, nc, bp, direct, strips);
                }
                boolean accumulate = addTo || pc > 0;
                int mBlocks = (m + MC - 1) / MC;
                int groups = threads == 1 ? 1 : Math.max(1, Math.min(strips, (2 * threads + mBlocks - 1) / mBlocks));
                int tasks = mBlocks * groups;
                int jcf = jc;
                int pcf = pc;
                Parallel.Chunk body = t -> {
                    int ic = (t / groups) * MC;
                    int g = t % groups;
                    int mc = Math.min(MC, m - ic);
                    float[] ap = A_PACK.get();
                    packA(a, ic, mc, pcf, kc, ap);
                    for (int s = strips * g / groups; s < strips * (g + 1) / groups; s++) {
                        int nr = Math.min(NR, nc - s * NR);
                        boolean unpacked = s < direct;
                        float[] bd = unpacked ? b.data : bp;
                        int pb = unpacked ? b.offset + pcf * b.rowStride + jcf + s * NR : s * kc * NR;
                        int ldb = unpacked ? b.rowStride : NR;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cOff = co + (ic + ir) * ldc + jcf + s * NR;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, ir * kc, bd, pb, ldb, c, cOff, ldc, accumulate);
                            } else {
                                edge(kc, ap, ir * kc, bd, pb, ldb, c, cOff, ldc, accumulate, mr, nr);
                            }
                        }
                    }
                };
                if (threads == 1 || tasks == 1) {
                    for (int t = 0; t < tasks; t++) {
                        body.run(t);
                    }
                } else {
                    Parallel.forChunks(tasks, body);
                }
            }
        }
    }

    private static void naive(int m, int n, int k, Operand a, Operand b, float[] c, int co, int ldc, boolean addTo) {
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            if (!addTo) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = a.get(i, p);
                int bo = b.offset + p * b.rowStride;
                for (int j = 0; j < n; j++) {
                    c[row + j] += av * b.data[bo + j * b.colStride];
                }
            }
        }
    }

    /**
     * Strips [from, to) of B[pc.., jc..] into strips of NR columns: strip s, row p, column jj at
     * s*kc*NR + p*NR + jj; zero beyond n.
     */
    private static void packB(Operand b, int pc, int kc, int jc, int nc, float[] bp, int from, int to) {
        float[] d = b.data;
        for (int s = from; s < to; s++) {
            int cols = Math.min(NR, nc - s * NR);
            int dst = s * kc * NR;
            int j0 = jc + s * NR;
            if (b.colStride == 1 && cols == NR) {
                // Two vectors a row: System.arraycopy of a variable 32 floats went through the
                // generic copy stub, a call per row.
                for (int p = 0; p < kc; p++) {
                    int src = b.offset + (pc + p) * b.rowStride + j0;
                    FloatVector.fromArray(S, d, src).intoArray(bp, dst + p * NR);
                    FloatVector.fromArray(S, d, src + L).intoArray(bp, dst + p * NR + L);
                }
            } else if (b.colStride == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = b.offset + (pc + p) * b.rowStride + j0;
                    System.arraycopy(d, src, bp, dst + p * NR, cols);
                    java.util.Arrays.fill(bp, dst + p * NR + cols, dst + (p + 1) * NR, 0f);
                }
            } else if (b.rowStride == 1 && cols == NR) {
                // A transposed B (x · Wᵀ): a packed row is NR elements a column apart, gathered
                // two vectors at a time instead of written one by one down each column.
                int[] columns = gatherMap(b.colStride);
                int src = b.offset + pc + j0 * b.colStride;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, d, src + p, columns, 0).intoArray(bp, dst + p * NR);
                    FloatVector.fromArray(S, d, src + p, columns, L).intoArray(bp, dst + p * NR + L);
                }
            } else {
                for (int jj = 0; jj < NR; jj++) {
                    if (jj >= cols) {
                        for (int p = 0; p < kc; p++) {
                            bp[dst + p * NR + jj] = 0f;
                        }
                        continue;
                    }
                    int src = b.offset + pc * b.rowStride + (j0 + jj) * b.colStride;
                    for (int p = 0; p < kc; p++, src += b.rowStride) {
                        bp[dst + p * NR + jj] = d[src];
                    }
                }
            }
        }
    }

    private static final ThreadLocal<int[]> GATHER_MAP = ThreadLocal.withInitial(() -> new int[NR + 1]);

    /** Offsets 0, stride, 2·stride, ... of NR columns (the stride kept in the last slot), this thread's array. */
    private static int[] gatherMap(int stride) {
        int[] map = GATHER_MAP.get();
        if (map[NR] != stride) {
            for (int j = 0; j < NR; j++) {
                map[j] = j * stride;
            }
            map[NR] = stride;
        }
        return map;
    }

    /** A[ic.., pc..] into strips of MR rows: strip at ir*kc, element (p, ii) at ir*kc + p*MR + ii; zero beyond m. */
    private static void packA(Operand a, int ic, int mc, int pc, int kc, float[] ap) {
        float[] d = a.data;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int dst = ir * kc;
            if (a.rowStride == 1 && rows == MR) {
                // A transposed view (a weight gradient's Xᵀ): a strip's MR elements of one column
                // lie side by side, so copy them as runs rather than walk each row down the column.
                int src = a.offset + ic + ir + pc * a.colStride;
                for (int p = 0; p < kc; p++, src += a.colStride) {
                    System.arraycopy(d, src, ap, dst + p * MR, MR);
                }
                continue;
            }
            for (int ii = 0; ii < MR; ii++) {
                if (ii >= rows) {
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR + ii] = 0f;
                    }
                    continue;
                }
                int src = a.offset + (ic + ir + ii) * a.rowStride + pc * a.colStride;
                for (int p = 0; p < kc; p++, src += a.colStride) {
                    ap[dst + p * MR + ii] = d[src];
                }
            }
        }
    }

    private static void edge(int kc, float[] ap, int pa, float[] bp, int pb, int ldb, float[] c, int co, int ldc,
                             boolean accumulate, int mr, int nr) {
        float[] tile = TILE.get();
        kernel(kc, ap, pa, bp, pb, ldb, tile, 0, NR, false);
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < nr; j++) {
                c[row + j] = accumulate ? c[row + j] + tile[i * NR + j] : tile[i * NR + j];
            }
        }
    }

    /**
     * C[co.., 6 rows × NR] (+)= A strip · B strip, B's rows {@code ldb} apart (NR when packed).
     * Twelve named accumulators so they stay in vector registers; an array would be boxed.
     */
    static void kernel(int kc, float[] ap, int pa, float[] bp, int pb, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        for (int p = 0; p < kc; p++, pa += MR, pb += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, bp, pb);
            FloatVector b1 = FloatVector.fromArray(S, bp, pb + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[pa]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[pa + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[pa + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[pa + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[pa + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[pa + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        // Written out rather than through a helper taking the vectors: when the helper was not
        // inlined, each call boxed its vector.
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, co)).intoArray(c, co);
            c01.add(FloatVector.fromArray(S, c, co + L)).intoArray(c, co + L);
            c10.add(FloatVector.fromArray(S, c, co + ldc)).intoArray(c, co + ldc);
            c11.add(FloatVector.fromArray(S, c, co + ldc + L)).intoArray(c, co + ldc + L);
            c20.add(FloatVector.fromArray(S, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L)).intoArray(c, co + 2 * ldc + L);
            c30.add(FloatVector.fromArray(S, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L)).intoArray(c, co + 3 * ldc + L);
            c40.add(FloatVector.fromArray(S, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L)).intoArray(c, co + 4 * ldc + L);
            c50.add(FloatVector.fromArray(S, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L)).intoArray(c, co + 5 * ldc + L);
        } else {
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc);
            c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc);
            c51.intoArray(c, co + 5 * ldc + L);
        }
    }
}
