package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;

/**
 * Convolution as matrix products: each sample's receptive fields are unfolded into a
 * (Cin/groups · kH · kW) × (outH · outW) column matrix (im2col), so the forward pass is
 * weight · columns, the input gradient is weightᵀ · gradOut folded back (col2im), and the weight
 * gradient is gradOut · columnsᵀ summed over the batch. A 1×1, stride-1, unpadded convolution
 * uses the input itself as the column matrix.
 */
final class Im2colConv {
    /** Weight-gradient partial sums kept at once, at most this many floats. */
    private static final int PARTIALS_BUDGET = 8 << 20;
    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

    private Im2colConv() {
    }

    /** Sizes of one call, read once from the tensors. */
    private record Geometry(int n, int cin, int h, int w, int cout, int cg, int kh, int kw, int oh, int ow, int groups,
                            Conv2dParams p) {
        static Geometry of(int[] xs, int[] ws, int oh, int ow, Conv2dParams p) {
            return new Geometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[1], ws[2], ws[3], oh, ow, p.groups(), p);
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

        boolean direct() {
            return kh == 1 && kw == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0 && p.padW() == 0;
        }

        /** Offset of sample b, group g's first input channel. */
        int inputAt(int b, int g) {
            return (b * cin + g * cg) * h * w;
        }
    }

    private static float[] columns(int size) {
        float[] c = COLUMNS.get();
        if (c.length < size) {
            c = new float[size];
            COLUMNS.set(c);
        }
        return c;
    }

    static void forward(Tensor out, Tensor x, Tensor weight, Conv2dParams p) {
        Geometry g = Geometry.of(x.shape(), weight.shape(), out.size(2), out.size(3), p);
        float[] xd = Elementwise.f(x);
        float[] wd = Elementwise.f(weight);
        float[] od = Elementwise.f(out);
        int k = g.k();
        int pixels = g.pixels();
        boolean perSample = g.n >= Parallel.threads();
        Parallel.Chunk sample = b -> {
            for (int gr = 0; gr < g.groups; gr++) {
                Gemm.Operand cols = columnsOf(g, xd, x.offset() + g.inputAt(b, gr));
                Gemm.Operand wg = new Gemm.Operand(wd, weight.offset() + gr * g.coutG() * k, k, 1);
                Gemm.gemm(g.coutG(), pixels, k, wg, cols, od, out.offset() + (b * g.cout + gr * g.coutG()) * pixels, pixels,
                        !perSample);
            }
        };
        run(g.n, perSample, sample);
    }

    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        Geometry g = Geometry.of(gradInput.shape(), weight.shape(), gradOut.size(2), gradOut.size(3), p);
        float[] gi = Elementwise.f(gradInput);
        float[] go = Elementwise.f(gradOut);
        float[] wd = Elementwise.f(weight);
        int k = g.k();
        int pixels = g.pixels();
        boolean perSample = g.n >= Parallel.threads();
        Parallel.Chunk sample = b -> {
            for (int gr = 0; gr < g.groups; gr++) {
                Gemm.Operand wT = new Gemm.Operand(wd, weight.offset() + gr * g.coutG() * k, 1, k);
                Gemm.Operand gOut = new Gemm.Operand(go, gradOut.offset() + (b * g.cout + gr * g.coutG()) * pixels, pixels, 1);
                int base = gradInput.offset() + g.inputAt(b, gr);
                if (g.direct()) {
                    Gemm.gemm(k, pixels, g.coutG(), wT, gOut, gi, base, pixels, !perSample);
                } else {
                    float[] cols = columns(k * pixels);
                    Gemm.gemm(k, pixels, g.coutG(), wT, gOut, cols, 0, pixels, !perSample);
                    col2im(g, cols, gi, base);
                }
            }
        };
        run(g.n, perSample, sample);
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
        int parts = Math.max(1, Math.min(Math.min(g.n, 8), PARTIALS_BUDGET / Math.max(size, 1)));
        float[][] partial = new float[parts][size];
        boolean inside = parts < Parallel.threads();
        Parallel.forChunks(parts, part -> {
            float[] acc = partial[part];
            int from = (int) ((long) g.n * part / parts);
            int to = (int) ((long) g.n * (part + 1) / parts);
            for (int b = from; b < to; b++) {
                for (int gr = 0; gr < g.groups; gr++) {
                    Gemm.Operand cols = columnsOf(g, xd, x.offset() + g.inputAt(b, gr));
                    Gemm.Operand colsT = new Gemm.Operand(cols.data(), cols.offset(), cols.colStride(), cols.rowStride());
                    Gemm.Operand gOut = new Gemm.Operand(go, gradOut.offset() + (b * g.cout + gr * g.coutG()) * pixels, pixels, 1);
                    Gemm.gemm(g.coutG(), k, pixels, gOut, colsT, acc, gr * g.coutG() * k, k, inside, b > from);
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

    private static void run(int n, boolean perSample, Parallel.Chunk sample) {
        if (perSample) {
            Parallel.forChunks(n, sample);
        } else {
            for (int b = 0; b < n; b++) {
                sample.run(b);
            }
        }
    }

    /** The column matrix of one sample and group: the input itself for a direct 1×1 convolution, else im2col. */
    private static Gemm.Operand columnsOf(Geometry g, float[] x, int base) {
        int pixels = g.pixels();
        if (g.direct()) {
            return new Gemm.Operand(x, base, pixels, 1);
        }
        float[] cols = columns(g.k() * pixels);
        im2col(g, x, base, cols);
        return new Gemm.Operand(cols, 0, pixels, 1);
    }

    /** cols[(c·kh + i)·kw + j][y·ow + x] = input[c][y·sh − ph + i·dh][x·sw − pw + j·dw], zero outside the image. */
    private static void im2col(Geometry g, float[] x, int base, float[] cols) {
        Conv2dParams p = g.p;
        int row = 0;
        for (int c = 0; c < g.cg; c++) {
            int plane = base + c * g.h * g.w;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int dst = row * g.pixels();
                    int dx = j * p.dilationW() - p.padW();
                    for (int y = 0; y < g.oh; y++, dst += g.ow) {
                        int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                        if (iy < 0 || iy >= g.h) {
                            java.util.Arrays.fill(cols, dst, dst + g.ow, 0f);
                            continue;
                        }
                        int src = plane + iy * g.w;
                        if (p.strideW() == 1) {
                            int lo = Math.min(g.ow, Math.max(0, -dx));
                            int hi = Math.max(lo, Math.min(g.ow, g.w - dx));
                            java.util.Arrays.fill(cols, dst, dst + lo, 0f);
                            System.arraycopy(x, src + lo + dx, cols, dst + lo, hi - lo);
                            java.util.Arrays.fill(cols, dst + hi, dst + g.ow, 0f);
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
    private static void col2im(Geometry g, float[] cols, float[] gi, int base) {
        Conv2dParams p = g.p;
        java.util.Arrays.fill(gi, base, base + g.cg * g.h * g.w, 0f);
        int row = 0;
        for (int c = 0; c < g.cg; c++) {
            int plane = base + c * g.h * g.w;
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++, row++) {
                    int src = row * g.pixels();
                    int dx = j * p.dilationW() - p.padW();
                    for (int y = 0; y < g.oh; y++, src += g.ow) {
                        int iy = y * p.strideH() - p.padH() + i * p.dilationH();
                        if (iy < 0 || iy >= g.h) {
                            continue;
                        }
                        int dst = plane + iy * g.w;
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
}
