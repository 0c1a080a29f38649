package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Convolution as matrix products: receptive fields are unfolded into a column matrix of
 * (Cin/groups · kH · kW) rows (im2col), so the forward pass is weight · columns, the input
 * gradient is weightᵀ · gradOut folded back (col2im), and the weight gradient is
 * gradOut · columnsᵀ summed over the batch. Small images put several samples side by side in one
 * column matrix (at least {@link #MIN_COLUMNS} columns): a 64-pixel plane alone makes a product
 * too thin for the packed GEMM to pay off. A single 1×1, stride-1, unpadded sample uses the input
 * itself as the column matrix.
 */
final class Im2colConv {
    /** Weight-gradient partial sums kept at once, at most this many floats. */
    private static final int PARTIALS_BUDGET = 8 << 20;
    /** A weight gradient whose whole batch's column matrix fits in this many floats (32 MB) is one product. */
    private static final long WHOLE_BATCH_FLOATS = 8L << 20;
    /** Samples are batched until a column matrix has at least this many columns. */
    static final int MIN_COLUMNS = 512;
    private static final Scratch COLUMNS = new Scratch();
    private static final Scratch GATHERED = new Scratch();

    private Im2colConv() {
    }

    /** Sizes of one call, read once from the tensors. */
    private record Geometry(int n, int cin, int h, int w, int cout, int cg, int kh, int kw, int oh, int ow, int groups,
                            Conv2dParams p, int batch) {
        static Geometry of(int[] xs, int[] ws, int oh, int ow, Conv2dParams p) {
            int pixels = oh * ow;
            int batch = Math.max(1, Math.min(xs[0], (MIN_COLUMNS + pixels - 1) / Math.max(pixels, 1)));
            return new Geometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[1], ws[2], ws[3], oh, ow, p.groups(), p, batch);
        }

        int k() {
            return cg * kh * kw;
        }

        int pixels() {
            return oh * ow;
        }

        int coutG() {
            return cout / groups;
        }

        /** Number of sample batches; batch i holds samples [first(i), first(i + 1)). */
        int batches() {
            return (n + batch - 1) / batch;
        }

        int first(int i) {
            return Math.min(n, i * batch);
        }

        boolean direct() {
            return batch == 1 && kh == 1 && kw == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0 && p.padW() == 0;
        }

        /** Offset of sample b, group g's first input channel. */
        int inputAt(int b, int g) {
            return (b * cin + g * cg) * h * w;
        }

        /** Offset of sample b, group g's first output channel. */
        int outputAt(int b, int g) {
            return (b * cout + g * coutG()) * pixels();
        }
    }

    static void forward(Tensor out, Tensor x, Tensor weight, Conv2dParams p) {
        Geometry g = Geometry.of(x.shape(), weight.shape(), out.size(2), out.size(3), p);
        float[] xd = Elementwise.f(x);
        float[] wd = Elementwise.f(weight);
        float[] od = Elementwise.f(out);
        int k = g.k();
        int pixels = g.pixels();
        boolean perBatch = g.batches() >= Parallel.threads();
        Parallel.Chunk body = i -> {
            int b0 = g.first(i);
            int count = g.first(i + 1) - b0;
            int cols = count * pixels;
            for (int gr = 0; gr < g.groups; gr++) {
                Gemm.Operand wg = new Gemm.Operand(wd, weight.offset() + gr * g.coutG() * k, k, 1);
                Gemm.Operand columns = columnsOf(g, xd, x.offset(), b0, count, gr);
                if (count == 1) {
                    Gemm.gemm(g.coutG(), pixels, k, wg, columns, od, out.offset() + g.outputAt(b0, gr), pixels, !perBatch);
                    continue;
                }
                // One product for the whole batch, then each sample's rows to their place in out.
                float[] tmp = GATHERED.get(g.coutG() * cols);
                Gemm.gemm(g.coutG(), cols, k, wg, columns, tmp, 0, cols, !perBatch);
                moveRows(g, tmp, od, out.offset(), b0, count, gr, false);
            }
        };
        run(g.batches(), perBatch, body);
    }

    /** gradOut's rows of samples [b0, b0 + count), group gr, side by side: (coutG × count·pixels), or gradOut itself for one sample. */
    private static Gemm.Operand gathered(Geometry g, float[] go, int base, int b0, int count, int gr) {
        int pixels = g.pixels();
        if (count == 1) {
            return new Gemm.Operand(go, base + g.outputAt(b0, gr), pixels, 1);
        }
        int cols = count * pixels;
        float[] tmp = GATHERED.get(g.coutG() * cols);
        moveRows(g, tmp, go, base, b0, count, gr, true);
        return new Gemm.Operand(tmp, 0, cols, 1);
    }

    /**
     * Copies the output-channel rows of samples [b0, b0 + count), group gr, between an (N, Cout,
     * pixels) tensor's data at {@code base} and the side-by-side (coutG × count·pixels) matrix
     * {@code batch}: into batch when {@code gather}, out of it otherwise.
     */
    private static void moveRows(Geometry g, float[] batch, float[] nchw, int base, int b0, int count, int gr, boolean gather) {
        int pixels = g.pixels();
        int cols = count * pixels;
        for (int s = 0; s < count; s++) {
            for (int co = 0; co < g.coutG(); co++) {
                int at = base + g.outputAt(b0 + s, gr) + co * pixels;
                int in = co * cols + s * pixels;
                if (gather) {
                    System.arraycopy(nchw, at, batch, in, pixels);
                } else {
                    System.arraycopy(batch, in, nchw, at, pixels);
                }
            }
        }
    }

    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        Geometry g = Geometry.of(gradInput.shape(), weight.shape(), gradOut.size(2), gradOut.size(3), p);
        float[] gi = Elementwise.f(gradInput);
        float[] go = Elementwise.f(gradOut);
        float[] wd = Elementwise.f(weight);
        int k = g.k();
        int pixels = g.pixels();
        boolean perBatch = g.batches() >= Parallel.threads();
        Parallel.Chunk body = i -> {
            int b0 = g.first(i);
            int count = g.first(i + 1) - b0;
            int cols = count * pixels;
            for (int gr = 0; gr < g.groups; gr++) {
                Gemm.Operand wT = new Gemm.Operand(wd, weight.offset() + gr * g.coutG() * k, 1, k);
                Gemm.Operand gOut = gathered(g, go, gradOut.offset(), b0, count, gr);
                if (g.direct()) {
                    Gemm.gemm(k, pixels, g.coutG(), wT, gOut, gi, gradInput.offset() + g.inputAt(b0, gr), pixels, !perBatch);
                    continue;
                }
                float[] columns = COLUMNS.get(k * cols);
                Gemm.gemm(k, cols, g.coutG(), wT, gOut, columns, 0, cols, !perBatch);
                for (int s = 0; s < count; s++) {
                    col2im(g, columns, s * pixels, cols, gi, gradInput.offset() + g.inputAt(b0 + s, gr));
                }
            }
        };
        run(g.batches(), perBatch, body);
    }

    /**
     * Sums over the batch in a fixed number of partial sums that depends only on the shapes, then
     * adds them in order, so the result is the same for every thread count.
     */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        Geometry g = Geometry.of(x.shape(), gradWeight.shape(), gradOut.size(2), gradOut.size(3), p);
        float[] xd = Elementwise.f(x);
        float[] go = Elementwise.f(gradOut);
        int size = gradWeight.numel();
        int k = g.k();
        int pixels = g.pixels();
        if (suitsWeightGradient(g)) {
            // One product over the whole batch, parallel inside: each weight is summed by one thread
            // in one order, and no thread waits on a partial sum of more samples than another's.
            int cols = g.n * pixels;
            float[] columns = COLUMNS.get(k * cols);
            Parallel.forChunks(g.n, s -> im2col(g, xd, x.offset() + g.inputAt(s, 0), columns, s * pixels, cols));
            Gemm.Operand gOut = gathered(g, go, gradOut.offset(), 0, g.n, 0);
            Gemm.gemm(g.cout, k, cols, gOut, new Gemm.Operand(columns, 0, 1, cols), Elementwise.f(gradWeight), gradWeight.offset(), k, true);
            return;
        }
        int batches = g.batches();
        int parts = Math.max(1, Math.min(Math.min(batches, 8), PARTIALS_BUDGET / Math.max(size, 1)));
        float[][] partial = new float[parts][size];
        boolean inside = parts < Parallel.threads();
        Parallel.forChunks(parts, part -> {
            float[] acc = partial[part];
            int from = (int) ((long) batches * part / parts);
            int to = (int) ((long) batches * (part + 1) / parts);
            for (int i = from; i < to; i++) {
                int b0 = g.first(i);
                int count = g.first(i + 1) - b0;
                for (int gr = 0; gr < g.groups; gr++) {
                    Gemm.Operand cols = columnsOf(g, xd, x.offset(), b0, count, gr);
                    Gemm.Operand colsT = new Gemm.Operand(cols.data(), cols.offset(), cols.colStride(), cols.rowStride());
                    Gemm.Operand gOut = gathered(g, go, gradOut.offset(), b0, count, gr);
                    Gemm.gemm(g.coutG(), k, count * pixels, gOut, colsT, acc, gr * g.coutG() * k, k, inside, i > from);
                }
            }
        });
        float[] gw = Elementwise.f(gradWeight);
        int off = gradWeight.offset();
        System.arraycopy(partial[0], 0, gw, off, size);
        for (int part = 1; part < parts; part++) {
            float[] acc = partial[part];
            for (int i = 0; i < size; i++) {
                gw[off + i] += acc[i];
            }
        }
    }

    /**
     * Whether this kernel's weight gradient, one product over the whole batch, beats the implicit
     * GEMM's: small planes (at most 14×14 outputs) of many input channels (at least 1024 rows per
     * filter) and at least 256 filters, ResNet's last stages at ImageNet sizes. Measured on two
     * threads, batch 16, against the implicit GEMM: 512 → 512 on 7×7 36 against 54 ms, 256 → 512
     * stride 2 from 14×14 14.5 against 22, 128 → 256 stride 2 from 28×28 16 against 22, 256 → 256
     * on 14×14 even (33). With fewer filters the implicit GEMM wins by 1.3 to 2.4 times, whatever
     * the rows per filter (a quiet host, 100 warm-up calls: 512 → 128 on 7×7 6.2 against 9.9 ms,
     * 256 → 128 on 14×14 8.7 against 17, 64 → 128 4×4 stride 2 to 8×8 at batch 64, a GAN
     * discriminator's, 4.5 against 10.4, 384 → 192 on 7×7 6.6 against 8.4); with fewer channels
     * by two to three times (ResNet-20's 64 → 64 on 8×8, batch 128: 6.2 against 17.6 ms); and on
     * larger planes the column matrix outgrows the caches.
     */
    static boolean suitsWeightGradient(int[] xs, int[] ws, int oh, int ow, Conv2dParams p) {
        return suitsWeightGradient(Geometry.of(xs, ws, oh, ow, p));
    }

    /**
     * The rule above on one call's sizes: ungrouped, not the direct 1×1 case (its input is the
     * column matrix already), and a column matrix of the whole batch of at most
     * {@link #WHOLE_BATCH_FLOATS}.
     */
    private static boolean suitsWeightGradient(Geometry g) {
        boolean unpadded1x1 = g.kh == 1 && g.kw == 1 && g.p.strideH() == 1 && g.p.strideW() == 1 && g.p.padH() == 0 && g.p.padW() == 0;
        return g.groups == 1 && g.n > 1 && !unpadded1x1 && g.k() >= 1024 && g.cout >= 256 && g.pixels() <= 196
                && (long) g.k() * g.n * g.pixels() <= WHOLE_BATCH_FLOATS;
    }

    private static void run(int n, boolean parallel, Parallel.Chunk body) {
        if (parallel) {
            Parallel.forChunks(n, body);
        } else {
            for (int i = 0; i < n; i++) {
                body.run(i);
            }
        }
    }

    /**
     * The column matrix of samples [b0, b0 + count), group gr: (k × count·pixels), sample s in
     * columns [s·pixels, (s + 1)·pixels); the input itself for a direct 1×1 convolution.
     */
    private static Gemm.Operand columnsOf(Geometry g, float[] x, int base, int b0, int count, int gr) {
        int pixels = g.pixels();
        if (g.direct()) {
            return new Gemm.Operand(x, base + g.inputAt(b0, gr), pixels, 1);
        }
        int ld = count * pixels;
        float[] cols = COLUMNS.get(g.k() * ld);
        for (int s = 0; s < count; s++) {
            im2col(g, x, base + g.inputAt(b0 + s, gr), cols, s * pixels, ld);
        }
        return new Gemm.Operand(cols, 0, ld, 1);
    }

    /**
     * cols[(c·kh + i)·kw + j][col + y·ow + x] = input[c][y·sh − ph + i·dh][x·sw − pw + j·dw], zero
     * outside the image; rows of cols are ld apart.
     */
    private static void im2col(Geometry g, float[] x, int base, float[] cols, int col, int ld) {
        Conv2dParams p = g.p;
        int row = 0;
        for (int c = 0; c < g.cg; c++) {
            int plane = base + c * g.h * g.w;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int dst = row * ld + col;
                    int dx = j * p.dilationW() - p.padW();
                    for (int y = 0; y < g.oh; y++, dst += g.ow) {
                        int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                        if (iy < 0 || iy >= g.h) {
                            for (int xo = 0; xo < g.ow; xo++) {
                                cols[dst + xo] = 0f;
                            }
                            continue;
                        }
                        int src = plane + iy * g.w;
                        if (p.strideW() == 1) {
                            // Plain loops rather than fill/arraycopy calls: rows are often only 8–32 long.
                            int lo = Math.min(g.ow, Math.max(0, -dx));
                            int hi = Math.max(lo, Math.min(g.ow, g.w - dx));
                            for (int xo = 0; xo < lo; xo++) {
                                cols[dst + xo] = 0f;
                            }
                            for (int xo = lo; xo < hi; xo++) {
                                cols[dst + xo] = x[src + xo + dx];
                            }
                            for (int xo = hi; xo < g.ow; xo++) {
                                cols[dst + xo] = 0f;
                            }
                        } else {
                            for (int xo = 0; xo < g.ow; xo++) {
                                int ix = xo * p.strideW() + dx;
                                cols[dst + xo] = ix >= 0 && ix < g.w ? x[src + ix] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: zeroes the sample's input gradient, then adds each column entry back to its pixel. */
    private static void col2im(Geometry g, float[] cols, int col, int ld, float[] gi, int base) {
        Conv2dParams p = g.p;
        java.util.Arrays.fill(gi, base, base + g.cg * g.h * g.w, 0f);
        int row = 0;
        for (int c = 0; c < g.cg; c++) {
            int plane = base + c * g.h * g.w;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int src = row * ld + col;
                    int dx = j * p.dilationW() - p.padW();
                    for (int y = 0; y < g.oh; y++, src += g.ow) {
                        int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                        if (iy < 0 || iy >= g.h) {
                            continue;
                        }
                        int dst = plane + iy * g.w;
                        if (p.strideW() == 1) {
                            int lo = Math.min(g.ow, Math.max(0, -dx));
                            int hi = Math.max(lo, Math.min(g.ow, g.w - dx));
                            addRow(gi, dst + lo + dx, cols, src + lo, hi - lo);
                            continue;
                        }
                        for (int xo = 0; xo < g.ow; xo++) {
                            int ix = xo * p.strideW() + dx;
                            if (ix >= 0 && ix < g.w) {
                                gi[dst + ix] += cols[src + xo];
                            }
                        }
                    }
                }
            }
        }
    }

    /** o[po..po+n) += x[px..px+n). */
    private static void addRow(float[] o, int po, float[] x, int px, int n) {
        int i = 0;
        for (; i <= n - Elementwise.L; i += Elementwise.L) {
            FloatVector.fromArray(Elementwise.S, o, po + i).add(FloatVector.fromArray(Elementwise.S, x, px + i)).intoArray(o, po + i);
        }
        for (; i < n; i++) {
            o[po + i] += x[px + i];
        }
    }
}
