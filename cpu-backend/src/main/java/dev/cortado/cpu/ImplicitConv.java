package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution as an implicit GEMM over a "wide" pixel grid, with no column matrix.
 *
 * <p>Each sample's input planes are copied once, zero-padded, into rows of Wp = W + 2·pw floats.
 * Output pixel (y, x) is computed at wide index q = y·Wp + x, for every x &lt; Wp: the columns
 * x ≥ ow are thrown away, and in exchange tap (ci, i, j) reads the padded input at q + off[k] with
 * off[k] = ci·Hp·Wp + i·Wp + j, so the 16 pixels of a vector are 16 consecutive floats whatever
 * the image width. A plane of 8×8 outputs is 80 wide pixels, five vectors, where rows of 8 would
 * fill half of each. A strided layer reads phase planes instead (see {@link Plan}), which makes
 * its reads stride 1 again.
 *
 * <ul>
 *   <li>Forward: an 8-filter × 32-pixel tile per call, like the GEMM kernel, with the weights
 *   broadcast and the input read in place (im2col + packing copied every input value about
 *   kh·kw times).</li>
 *   <li>Input gradient: the forward pass on the output gradient padded by k − 1 − p, with the
 *   weights flipped and their channel axes swapped.</li>
 *   <li>Weight gradient: either 4 filters × 4 taps of dot products over the wide pixels of a
 *   group of samples that stays in the L2 cache, with the output gradient zero at the thrown-away
 *   columns, or, for small planes of many filters, the filters on the lanes (a tile like the
 *   forward one over the valid pixels); partial sums per sample range, fixed by the shapes and
 *   added in order, so the result does not depend on the thread count.</li>
 * </ul>
 */
final class ImplicitConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Filters per forward tile. */
    static final int MR = 8;
    /** Pixels per forward tile. */
    private static final int NP = 2 * L;
    /** Filters × taps per weight-gradient tile. */
    private static final int GC = 4;
    private static final int GK = 4;
    /** Taps per weight-gradient tile when the filters are on the lanes. */
    private static final int FT = 8;
    /** Filters go on the lanes of the weight gradient up to this many output pixels per plane. */
    private static final int SMALL_PLANE = 256;
    /** A sample's padded planes larger than this many floats go to im2col, whose working set is blocked. */
    private static final int MAX_PLANES = 1 << 20;
    /** Samples of a weight-gradient group share about this many floats of cache. */
    private static final int GROUP_FLOATS = 96 * 1024;
    private static final int MAX_PARTS = 8;

    private static final Scratch INPUT = new Scratch();
    private static final Scratch WIDE = new Scratch();

    private ImplicitConv() {
    }

    /**
     * Forward and weight gradient: no dilation or groups, and a sample's padded input small enough
     * to stay in cache; any stride (a strided layer reads phase planes).
     */
    static boolean applies(int cin, int h, int w, Conv2dParams p) {
        return p.dilationH() == 1 && p.dilationW() == 1 && p.groups() == 1 && fits(cin, h + p.strideH(), w + p.strideW(), p.padH(), p.padW());
    }

    /**
     * The input gradient of a stride-1 layer is the forward pass on the output gradient (cout
     * planes of oh × ow) padded by k − 1 − p, so the padding must not exceed the kernel's reach.
     * A strided layer's input gradient stays with im2col (col2im).
     */
    static boolean appliesToInputGradient(int cout, int oh, int ow, int kh, int kw, Conv2dParams p) {
        return plain(p) && p.padH() <= kh - 1 && p.padW() <= kw - 1 && fits(cout, oh, ow, kh - 1 - p.padH(), kw - 1 - p.padW());
    }

    private static boolean plain(Conv2dParams p) {
        return p.strideH() == 1 && p.strideW() == 1 && p.dilationH() == 1 && p.dilationW() == 1 && p.groups() == 1;
    }

    private static boolean fits(int channels, int h, int w, int ph, int pw) {
        return (long) channels * (h + 2L * ph) * (w + 2L * pw) <= MAX_PLANES;
    }

    /**
     * Sizes of one convolution of (n, cin, h, w) by (cout, cin, kh, kw) with stride (sh, sw) and
     * padding (ph, pw). A strided input is split into sh·sw phase planes per channel, phase (a, b)
     * holding the padded pixels (a + sh·u, b + sw·v): output (y, x) then reads phase
     * (i mod sh, j mod sw) at (y + i / sh, x + j / sw), a stride-1 access again, and the wide grid's
     * rows are a phase plane's width. For stride 1 there is one phase, the padded plane itself.
     */
    private record Plan(int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int ph, int pw) {
        int hp() {
            return h + 2 * ph;
        }

        int wp() {
            return w + 2 * pw;
        }

        /** Rows and columns of a phase plane. */
        int hq() {
            return (hp() + sh - 1) / sh;
        }

        int wq() {
            return (wp() + sw - 1) / sw;
        }

        int oh() {
            return (hp() - kh) / sh + 1;
        }

        int ow() {
            return (wp() - kw) / sw + 1;
        }

        int taps() {
            return cin * kh * kw;
        }

        /** Floats of one phase plane. */
        int plane() {
            return hq() * wq();
        }

        /** Floats of one input channel: all its phase planes. */
        int channel() {
            return sh * sw * plane();
        }

        /** Wide output pixels: every column of a phase plane's width, on the output rows. */
        int wide() {
            return oh() * wq();
        }

        /** Floats of a sample's padded input, with slack for the loads past the last plane's end. */
        int inputFloats() {
            return cin * channel() + kw + NP;
        }

        /** off[k] for tap k = (ci·kh + i)·kw + j: where it reads relative to the wide pixel. */
        int[] offsets() {
            int[] off = new int[taps()];
            for (int ci = 0, k = 0; ci < cin; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++, k++) {
                        off[k] = ci * channel() + ((i % sh) * sw + j % sw) * plane() + (i / sh) * wq() + j / sw;
                    }
                }
            }
            return off;
        }
    }

    /**
     * Sample b's planes of x (n, cin, h, w, at {@code at}) into dst, zero-padded by (ph, pw); the
     * slack past the last plane is zeroed too.
     */
    private static void pad(float[] x, int at, Plan g, int b, float[] dst, int dstAt) {
        if (g.sh != 1 || g.sw != 1) {
            phases(x, at, g, b, dst, dstAt);
            return;
        }
        padPlanes(x, at + b * g.cin * g.h * g.w, g.cin, g.h, g.w, dst, dstAt, g.plane(), g.wp(), g.ph, g.pw, g.inputFloats());
    }

    /**
     * cin planes of h × w floats of x from {@code src} into dst at {@code dstAt} as planes of
     * {@code plane} floats with rows wp apart, each image row at column pw of row y + ph, and
     * zeros around: dst[dstAt, dstAt + zeroed) is zeroed first. The planes' rows and columns must
     * reach at least h + ph and w + pw. Also {@link Winograd}'s padding, whose planes reach to its
     * last tiles' windows.
     */
    static void padPlanes(float[] x, int src, int cin, int h, int w, float[] dst, int dstAt, int plane, int wp, int ph, int pw, int zeroed) {
        boolean spill = (w + L - 1) / L * L <= wp + w;
        java.util.Arrays.fill(dst, dstAt, dstAt + zeroed, 0f);
        for (int c = 0; c < cin; c++) {
            int from = src + c * h * w;
            int row = dstAt + c * plane + ph * wp + pw;
            for (int y = 0; y < h; y++, from += w, row += wp) {
                // Whole vectors, the last one past the row where it ends within the next row: what
                // it writes there is the next row's, copied after this one, and the padding between
                // is zeroed again. The channel's last row stops at its end: below it are padding rows.
                int i = 0;
                if (y < h - 1 && spill) {
                    for (; i < w && from + i + L <= x.length; i += L) {
                        FloatVector.fromArray(S, x, from + i).intoArray(dst, row + i);
                    }
                    java.util.Arrays.fill(dst, row + w, row + wp, 0f);
                } else {
                    for (; i + L <= w; i += L) {
                        FloatVector.fromArray(S, x, from + i).intoArray(dst, row + i);
                    }
                }
                for (; i < w; i++) {
                    dst[row + i] = x[from + i];
                }
            }
        }
    }

    /** As {@link #pad}, for a strided convolution: each padded pixel goes to its phase plane. */
    private static void phases(float[] x, int at, Plan g, int b, float[] dst, int dstAt) {
        java.util.Arrays.fill(dst, dstAt, dstAt + g.inputFloats(), 0f);
        int plane = g.plane();
        int wq = g.wq();
        // Where each input column and row lands within a channel's phase planes.
        int[] cols = new int[g.w];
        for (int xx = 0; xx < g.w; xx++) {
            int col = xx + g.pw;
            cols[xx] = (col % g.sw) * plane + col / g.sw;
        }
        int[] rows = new int[g.h];
        for (int y = 0; y < g.h; y++) {
            int r = y + g.ph;
            rows[y] = (r % g.sh) * g.sw * plane + (r / g.sh) * wq;
        }
        for (int c = 0; c < g.cin; c++) {
            int src = at + (b * g.cin + c) * g.h * g.w;
            int ch = dstAt + c * g.channel();
            for (int y = 0; y < g.h; y++, src += g.w) {
                int row = ch + rows[y];
                for (int xx = 0; xx < g.w; xx++) {
                    dst[row + cols[xx]] = x[src + xx];
                }
            }
        }
    }

    /** Weights (cout, taps) at {@code at} regrouped as [block of MR filters][tap][filter], zero past cout. */
    private static float[] packFilters(float[] w, int at, int cout, int taps) {
        int blocks = (cout + MR - 1) / MR;
        float[] packed = new float[blocks * taps * MR];
        for (int co = 0; co < cout; co++) {
            int dst = (co / MR) * taps * MR + co % MR;
            for (int k = 0; k < taps; k++) {
                packed[dst + k * MR] = w[at + co * taps + k];
            }
        }
        return packed;
    }

    /** out = x convolved with weight, plus bias (out's shape, expanded along dim 1) unless it is null. */
    static void forward(Tensor out, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        Plan g = new Plan(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], p.strideH(), p.strideW(), p.padH(), p.padW());
        float[] packed = packFilters(Elementwise.f(weight), weight.offset(), g.cout, g.taps());
        convolve(g, Elementwise.f(x), x.offset(), packed, biasValues(bias, g.cout), Elementwise.f(out), out.offset());
    }

    /** bias[c] for c &lt; cout from a bias expanded along the output's dimension 1, or null without one. */
    static float[] biasValues(Tensor bias, int cout) {
        if (bias == null) {
            return null;
        }
        float[] b = new float[cout];
        float[] bd = Elementwise.f(bias);
        for (int c = 0; c < cout; c++) {
            b[c] = bd[bias.offset() + c * bias.stride(1)];
        }
        return b;
    }

    /** gradInput = gradOut padded by (k − 1 − p) convolved with the weights flipped and channel-swapped. */
    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        int[] ws = weight.shape();
        int cout = ws[0], cin = ws[1], kh = ws[2], kw = ws[3];
        float[] w = Elementwise.f(weight);
        int wo = weight.offset();
        int taps = cout * kh * kw;
        float[] flipped = new float[cin * taps];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        flipped[ci * taps + (co * kh + kh - 1 - i) * kw + kw - 1 - j] = w[wo + ((co * cin + ci) * kh + i) * kw + j];
                    }
                }
            }
        }
        Plan g = new Plan(gradOut.size(0), cout, gradOut.size(2), gradOut.size(3), cin, kh, kw, 1, 1, kh - 1 - p.padH(), kw - 1 - p.padW());
        convolve(g, Elementwise.f(gradOut), gradOut.offset(), packFilters(flipped, 0, cin, taps), null, Elementwise.f(gradInput), gradInput.offset());
    }

    /**
     * out (n, cout, oh, ow) at {@code oo} = x (n, cin, h, w) at {@code xo} convolved with the packed
     * filters, plus bias[co] when bias is not null: added while the rows leave the wide grid, which
     * saves the separate pass over the output that adding it afterwards takes.
     */
    private static void convolve(Plan g, float[] x, int xo, float[] packed, float[] bias, float[] out, int oo) {
        int[] off = g.offsets();
        int taps = g.taps();
        int blocks = (g.cout + MR - 1) / MR;
        int wide = g.wide();
        int ld = (wide + NP - 1) / NP * NP;
        int oh = g.oh(), ow = g.ow(), wq = g.wq();
        // Split a sample's filter blocks over tasks only when samples alone cannot feed every thread.
        int split = Math.min(blocks, Math.max(1, (2 * Parallel.threads() + g.n - 1) / g.n));
        Parallel.forChunks(g.n * split, t -> {
            int b = t / split;
            int part = t % split;
            float[] xp = INPUT.get(g.inputFloats());
            pad(x, xo, g, b, xp, 0);
            float[] tile = WIDE.get(MR * ld);
            int limit = oo + (b * g.cout + Math.min(g.cout, blocks * (part + 1) / split * MR)) * oh * ow;
            for (int blk = blocks * part / split; blk < blocks * (part + 1) / split; blk++) {
                int q = 0;
                for (; q + L < wide; q += NP) {
                    tile(packed, blk * taps * MR, off, taps, xp, q, tile, q, ld);
                }
                if (q < wide) {
                    // At most one vector of pixels left (ResNet's 8×8 planes are 80 wide pixels).
                    tailTile(packed, blk * taps * MR, off, taps, xp, q, tile, q, ld);
                }
                int rows = Math.min(MR, g.cout - blk * MR);
                for (int r = 0; r < rows; r++) {
                    int dst = oo + ((b * g.cout) + blk * MR + r) * oh * ow;
                    leaveWide(tile, r * ld, wq, oh, ow, out, dst, limit, bias == null ? 0f : bias[blk * MR + r], bias != null);
                }
            }
        });
    }

    /**
     * A filter's oh rows of ow pixels out of the wide grid (rows wq apart from src) into out at
     * dst, plus bias when addBias. Whole vectors, also past a row's end wherever the lanes stay
     * before {@code limit}, the end of what this task writes: they land on the next rows and
     * planes, which are written again, correctly, after this row. Rows are shorter than a
     * vector or two here (28, 14, 32, 8 pixels), too short for the JIT's own vectorised loop, and a
     * scalar copy out was a third of LeNet's second convolution.
     */
    private static void leaveWide(float[] tile, int src, int wq, int oh, int ow, float[] out, int dst, int limit, float bias, boolean addBias) {
        FloatVector add = FloatVector.broadcast(S, bias);
        for (int y = 0; y < oh; y++, src += wq, dst += ow) {
            int i = 0;
            for (; i < ow && dst + i + L <= limit && src + i + L <= tile.length; i += L) {
                FloatVector v = FloatVector.fromArray(S, tile, src + i);
                if (addBias) {
                    v.add(add).intoArray(out, dst + i);
                } else {
                    v.intoArray(out, dst + i);
                }
            }
            for (; i < ow; i++) {
                out[dst + i] = addBias ? tile[src + i] + bias : tile[src + i];
            }
        }
    }

    /**
     * MR filters × NP wide pixels from q: c[r][q..q+NP) = Σ_k w[k][r] · xp[q + off[k] ..]. Also
     * {@link Winograd}'s products, with off[k] stepping from one channel's transformed tiles to
     * the next.
     */
    static void tile(float[] w, int wAt, int[] off, int taps, float[] xp, int q, float[] c, int co, int ld) {
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
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int k = 0, pw = wAt; k < taps; k++, pw += MR) {
            int a = q + off[k];
            FloatVector x0 = FloatVector.fromArray(S, xp, a);
            FloatVector x1 = FloatVector.fromArray(S, xp, a + L);
            FloatVector w0 = FloatVector.broadcast(S, w[pw]);
            c00 = w0.fma(x0, c00);
            c01 = w0.fma(x1, c01);
            FloatVector w1 = FloatVector.broadcast(S, w[pw + 1]);
            c10 = w1.fma(x0, c10);
            c11 = w1.fma(x1, c11);
            FloatVector w2 = FloatVector.broadcast(S, w[pw + 2]);
            c20 = w2.fma(x0, c20);
            c21 = w2.fma(x1, c21);
            FloatVector w3 = FloatVector.broadcast(S, w[pw + 3]);
            c30 = w3.fma(x0, c30);
            c31 = w3.fma(x1, c31);
            FloatVector w4 = FloatVector.broadcast(S, w[pw + 4]);
            c40 = w4.fma(x0, c40);
            c41 = w4.fma(x1, c41);
            FloatVector w5 = FloatVector.broadcast(S, w[pw + 5]);
            c50 = w5.fma(x0, c50);
            c51 = w5.fma(x1, c51);
            FloatVector w6 = FloatVector.broadcast(S, w[pw + 6]);
            c60 = w6.fma(x0, c60);
            c61 = w6.fma(x1, c61);
            FloatVector w7 = FloatVector.broadcast(S, w[pw + 7]);
            c70 = w7.fma(x0, c70);
            c71 = w7.fma(x1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ld);
        c11.intoArray(c, co + ld + L);
        c20.intoArray(c, co + 2 * ld);
        c21.intoArray(c, co + 2 * ld + L);
        c30.intoArray(c, co + 3 * ld);
        c31.intoArray(c, co + 3 * ld + L);
        c40.intoArray(c, co + 4 * ld);
        c41.intoArray(c, co + 4 * ld + L);
        c50.intoArray(c, co + 5 * ld);
        c51.intoArray(c, co + 5 * ld + L);
        c60.intoArray(c, co + 6 * ld);
        c61.intoArray(c, co + 6 * ld + L);
        c70.intoArray(c, co + 7 * ld);
        c71.intoArray(c, co + 7 * ld + L);
    }

    /** As {@link #tile} for the last L wide pixels of a plane: MR filters × one vector. */
    static void tailTile(float[] w, int wAt, int[] off, int taps, float[] xp, int q, float[] c, int co, int ld) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int k = 0, pw = wAt; k < taps; k++, pw += MR) {
            FloatVector x0 = FloatVector.fromArray(S, xp, q + off[k]);
            c0 = FloatVector.broadcast(S, w[pw]).fma(x0, c0);
            c1 = FloatVector.broadcast(S, w[pw + 1]).fma(x0, c1);
            c2 = FloatVector.broadcast(S, w[pw + 2]).fma(x0, c2);
            c3 = FloatVector.broadcast(S, w[pw + 3]).fma(x0, c3);
            c4 = FloatVector.broadcast(S, w[pw + 4]).fma(x0, c4);
            c5 = FloatVector.broadcast(S, w[pw + 5]).fma(x0, c5);
            c6 = FloatVector.broadcast(S, w[pw + 6]).fma(x0, c6);
            c7 = FloatVector.broadcast(S, w[pw + 7]).fma(x0, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ld);
        c2.intoArray(c, co + 2 * ld);
        c3.intoArray(c, co + 3 * ld);
        c4.intoArray(c, co + 4 * ld);
        c5.intoArray(c, co + 5 * ld);
        c6.intoArray(c, co + 6 * ld);
        c7.intoArray(c, co + 7 * ld);
    }

    /**
     * gradWeight[co][k] = Σ over samples and valid pixels of gradOut[co][q] · xp[q + off[k]]. Falls
     * back to im2col when the result is not finite: the wide grid's thrown-away columns multiply
     * zero by input values, which is only exact while the input is finite.
     */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        backwardWeight(gradWeight, null, gradOut, x, p);
    }

    /**
     * The weight gradient and, when gradBias is not null, the bias gradient (1, Cout, 1, 1): each
     * sample's output gradient is summed while the weight gradient has just copied it and it is
     * still in cache, which saves the separate sum's pass over the whole output gradient (LeNet's
     * first layer: 2.4 MB).
     */
    static void backwardWeight(Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Conv2dParams p) {
        int[] xs = x.shape();
        int[] ws = gradWeight.shape();
        Plan g = new Plan(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], p.strideH(), p.strideW(), p.padH(), p.padW());
        int parts = Math.max(1, Math.min(MAX_PARTS, g.n));
        BiasSums bias = gradBias == null ? null : new BiasSums(parts, g.cout);
        float[] xd = Elementwise.f(x);
        float[] go = Elementwise.f(gradOut);
        float[] gw = Elementwise.f(gradWeight);
        boolean finite = g.cout >= 2 * L && g.oh() * g.ow() <= SMALL_PLANE
                ? byFilters(g, parts, xd, x.offset(), go, gradOut.offset(), gw, gradWeight.offset(), bias)
                : byPixels(g, parts, xd, x.offset(), go, gradOut.offset(), gw, gradWeight.offset(), bias);
        if (!finite) {
            Im2colConv.backwardWeight(gradWeight, gradOut, x, p);
        }
        if (bias != null) {
            bias.total(Elementwise.f(gradBias), gradBias.offset());
        }
    }

    /**
     * Per part of the batch, each filter's output-gradient sum so far: a vector of lane sums and
     * a scalar for the plane's last (oh·ow mod L) values. The parts are fixed by the shapes and
     * added in order, so the sums do not depend on the thread count.
     */
    private static final class BiasSums {
        final float[][] lanes;
        final float[][] tails;
        final int cout;

        BiasSums(int parts, int cout) {
            this.lanes = new float[parts][cout * L];
            this.tails = new float[parts][cout];
            this.cout = cout;
        }

        /** Adds sample b's gradient planes (oh·ow floats each, Cout of them from {@code at + b·Cout·plane}) to part's sums. */
        void add(int part, float[] go, int at, int b, int plane) {
            float[] lane = lanes[part];
            float[] tail = tails[part];
            int full = plane / L * L;
            for (int co = 0; co < cout; co++) {
                int src = at + (b * cout + co) * plane;
                // Four chains, so the adds are not waiting on one another's latency.
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int i = 0;
                for (; i + 4 * L <= full; i += 4 * L) {
                    a0 = a0.add(FloatVector.fromArray(S, go, src + i));
                    a1 = a1.add(FloatVector.fromArray(S, go, src + i + L));
                    a2 = a2.add(FloatVector.fromArray(S, go, src + i + 2 * L));
                    a3 = a3.add(FloatVector.fromArray(S, go, src + i + 3 * L));
                }
                for (; i < full; i += L) {
                    a0 = a0.add(FloatVector.fromArray(S, go, src + i));
                }
                a0.add(a1).add(a2.add(a3)).add(FloatVector.fromArray(S, lane, co * L)).intoArray(lane, co * L);
                float t = tail[co];
                for (; i < plane; i++) {
                    t += go[src + i];
                }
                tail[co] = t;
            }
        }

        void total(float[] out, int at) {
            for (int co = 0; co < cout; co++) {
                float sum = 0;
                for (int part = 0; part < lanes.length; part++) {
                    sum += Lanes.sum(lanes[part], co * L) + tails[part][co];
                }
                out[at + co] = sum;
            }
        }
    }

    /**
     * The weight gradient with the pixels on the lanes, for layers of fewer than 32 filters or
     * planes of more than 256 pixels: 4 filters × 4 taps of dot products over the wide pixels of a
     * sample group, summed across lanes once per group. Returns whether every sum is finite.
     */
    private static boolean byPixels(Plan g, int parts, float[] xd, int xo, float[] go, int goOff, float[] gw, int base, BiasSums bias) {
        int taps = g.taps();
        int coutPad = (g.cout + GC - 1) / GC * GC;
        int tapsPad = (taps + GK - 1) / GK * GK;
        int[] off = java.util.Arrays.copyOf(g.offsets(), tapsPad);
        int vectors = (g.wide() + L - 1) / L;
        int gradFloats = coutPad * vectors * L;
        int sampleFloats = gradFloats + g.inputFloats();
        int group = Math.max(1, Math.min(g.n, GROUP_FLOATS / sampleFloats));
        float[][] partial = new float[parts][coutPad * tapsPad];
        Parallel.forChunks(parts, part -> {
            int from = (int) ((long) g.n * part / parts);
            int to = (int) ((long) g.n * (part + 1) / parts);
            float[] buf = INPUT.get(group * sampleFloats);
            float[] lanes = new float[GC * GK * L];
            for (int b0 = from; b0 < to; b0 += group) {
                int count = Math.min(group, to - b0);
                for (int s = 0; s < count; s++) {
                    int at = s * sampleFloats;
                    wideGradient(go, goOff, g, b0 + s, buf, at, vectors * L);
                    if (bias != null) {
                        bias.add(part, go, goOff, b0 + s, g.oh() * g.ow());
                    }
                    pad(xd, xo, g, b0 + s, buf, at + gradFloats);
                }
                float[] acc = partial[part];
                for (int co = 0; co < coutPad; co += GC) {
                    for (int k = 0; k < tapsPad; k += GK) {
                        gradTile(buf, co * vectors * L, vectors * L, gradFloats, off, k, sampleFloats, count, vectors, acc, co * tapsPad + k, tapsPad,
                                lanes);
                    }
                }
            }
        });
        return sumParts(partial, g.cout, taps, tapsPad, gw, base, taps, 1);
    }

    /**
     * The weight gradient with the filters on the lanes, for small planes of at least 32 filters
     * (ResNet's last stages: 3.6 instead of 6.2 ms for its 64-filter 8×8 layer on one thread): each
     * sample's output gradient is transposed to (pixel, filter) rows, and a tile of 8 taps × 32
     * filters accumulates gradient row × broadcast input value over the valid output pixels
     * only (no thrown-away columns), like the forward tile: two vector loads and eight broadcasts
     * per sixteen FMAs, where pixels on the lanes needed eight vector loads and a sum across lanes.
     * Returns whether every sum is finite.
     */
    private static boolean byFilters(Plan g, int parts, float[] xd, int xo, float[] go, int goOff, float[] gw, int base, BiasSums bias) {
        int taps = g.taps();
        // Filters in pairs of vectors; the notebook layers that come here have 32 or 64.
        int c32 = (g.cout + 2 * L - 1) / (2 * L) * (2 * L);
        int tapsPad = (taps + FT - 1) / FT * FT;
        int[] off = java.util.Arrays.copyOf(g.offsets(), tapsPad);
        int oh = g.oh(), ow = g.ow(), wq = g.wq();
        int pixels = oh * ow;
        int[] pix = new int[pixels];
        for (int y = 0, i = 0; y < oh; y++) {
            for (int xx = 0; xx < ow; xx++, i++) {
                pix[i] = y * wq + xx;
            }
        }
        int gradFloats = pixels * c32;
        int sampleFloats = gradFloats + g.inputFloats();
        int group = Math.max(1, Math.min(g.n, GROUP_FLOATS / sampleFloats));
        float[][] partial = new float[parts][tapsPad * c32];
        Parallel.forChunks(parts, part -> {
            int from = (int) ((long) g.n * part / parts);
            int to = (int) ((long) g.n * (part + 1) / parts);
            float[] buf = INPUT.get(group * sampleFloats);
            for (int b0 = from; b0 < to; b0 += group) {
                int count = Math.min(group, to - b0);
                for (int s = 0; s < count; s++) {
                    int at = s * sampleFloats;
                    transposedGradient(go, goOff, g, b0 + s, buf, at, c32);
                    if (bias != null) {
                        bias.add(part, go, goOff, b0 + s, pixels);
                    }
                    pad(xd, xo, g, b0 + s, buf, at + gradFloats);
                }
                float[] acc = partial[part];
                for (int k = 0; k < tapsPad; k += FT) {
                    for (int co = 0; co < c32; co += 2 * L) {
                        filterTile(buf, co, c32, gradFloats, off, k, pix, count, sampleFloats, acc, k * c32 + co, c32);
                    }
                }
            }
        });
        return sumParts(partial, taps, g.cout, c32, gw, base, 1, taps);
    }

    /**
     * gw[base + r·rowStride + c·colStride] = the parts' partial sums at r·ld + c, added in part
     * order, for r &lt; rows and c &lt; cols; returns whether every sum is finite. Rows are split
     * over the threads: done serially this took 100–170 µs for the 3-conv CNN's 64-filter layer
     * (8 parts of 288 × 64 sums, written across the gradient's rows) while the other core waited.
     * Each element adds its parts in the same order either way, so the bits do not change.
     */
    private static boolean sumParts(float[][] partial, int rows, int cols, int ld, float[] gw, int base, int rowStride, int colStride) {
        int parts = partial.length;
        boolean[] finite = {true};
        Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, cols * parts)), (r0, r1) -> {
            boolean ok = true;
            for (int r = r0; r < r1; r++) {
                for (int c = 0; c < cols; c++) {
                    float sum = partial[0][r * ld + c];
                    for (int part = 1; part < parts; part++) {
                        sum += partial[part][r * ld + c];
                    }
                    gw[base + r * rowStride + c * colStride] = sum;
                    ok &= Float.isFinite(sum);
                }
            }
            if (!ok) {
                finite[0] = false;
            }
        });
        return finite[0];
    }

    /** Sample b's output gradient as rows of {@code width} filters per output pixel into dst (filters past cout zero). */
    private static void transposedGradient(float[] go, int at, Plan g, int b, float[] dst, int dstAt, int width) {
        int pixels = g.oh() * g.ow();
        if (g.cout < width) {
            java.util.Arrays.fill(dst, dstAt, dstAt + pixels * width, 0f);
        }
        for (int co = 0; co < g.cout; co++) {
            int src = at + (b * g.cout + co) * pixels;
            for (int i = 0, d = dstAt + co; i < pixels; i++, d += width) {
                dst[d] = go[src + i];
            }
        }
    }

    /**
     * acc[(k + t)·ld + co ..] += Σ over the group's samples and valid pixels i of
     * grad[i][co .. co + 32) · xp[pix[i] + off[k + t]], for t &lt; 8 taps.
     */
    private static void filterTile(float[] buf, int co, int width, int xAt, int[] off, int k, int[] pix, int count, int sampleFloats,
                                    float[] acc, int accAt, int ld) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        FloatVector a2 = a0;
        FloatVector b2 = a0;
        FloatVector a3 = a0;
        FloatVector b3 = a0;
        FloatVector a4 = a0;
        FloatVector b4 = a0;
        FloatVector a5 = a0;
        FloatVector b5 = a0;
        FloatVector a6 = a0;
        FloatVector b6 = a0;
        FloatVector a7 = a0;
        FloatVector b7 = a0;
        int o0 = off[k], o1 = off[k + 1], o2 = off[k + 2], o3 = off[k + 3];
        int o4 = off[k + 4], o5 = off[k + 5], o6 = off[k + 6], o7 = off[k + 7];
        for (int s = 0; s < count; s++) {
            int gRow = s * sampleFloats + co;
            int xBase = s * sampleFloats + xAt;
            for (int i = 0; i < pix.length; i++, gRow += width) {
                FloatVector g0 = FloatVector.fromArray(S, buf, gRow);
                FloatVector g1 = FloatVector.fromArray(S, buf, gRow + L);
                int q = xBase + pix[i];
                FloatVector v = FloatVector.broadcast(S, buf[q + o0]);
                a0 = g0.fma(v, a0);
                b0 = g1.fma(v, b0);
                v = FloatVector.broadcast(S, buf[q + o1]);
                a1 = g0.fma(v, a1);
                b1 = g1.fma(v, b1);
                v = FloatVector.broadcast(S, buf[q + o2]);
                a2 = g0.fma(v, a2);
                b2 = g1.fma(v, b2);
                v = FloatVector.broadcast(S, buf[q + o3]);
                a3 = g0.fma(v, a3);
                b3 = g1.fma(v, b3);
                v = FloatVector.broadcast(S, buf[q + o4]);
                a4 = g0.fma(v, a4);
                b4 = g1.fma(v, b4);
                v = FloatVector.broadcast(S, buf[q + o5]);
                a5 = g0.fma(v, a5);
                b5 = g1.fma(v, b5);
                v = FloatVector.broadcast(S, buf[q + o6]);
                a6 = g0.fma(v, a6);
                b6 = g1.fma(v, b6);
                v = FloatVector.broadcast(S, buf[q + o7]);
                a7 = g0.fma(v, a7);
                b7 = g1.fma(v, b7);
            }
        }
        // Written out: a helper taking the vectors was not inlined into this large method, and
        // every call then allocated a box per vector (1.5 GB per 60 ResNet steps).
        a0.add(FloatVector.fromArray(S, acc, accAt)).intoArray(acc, accAt);
        b0.add(FloatVector.fromArray(S, acc, accAt + L)).intoArray(acc, accAt + L);
        a1.add(FloatVector.fromArray(S, acc, accAt + ld)).intoArray(acc, accAt + ld);
        b1.add(FloatVector.fromArray(S, acc, accAt + ld + L)).intoArray(acc, accAt + ld + L);
        a2.add(FloatVector.fromArray(S, acc, accAt + 2 * ld)).intoArray(acc, accAt + 2 * ld);
        b2.add(FloatVector.fromArray(S, acc, accAt + 2 * ld + L)).intoArray(acc, accAt + 2 * ld + L);
        a3.add(FloatVector.fromArray(S, acc, accAt + 3 * ld)).intoArray(acc, accAt + 3 * ld);
        b3.add(FloatVector.fromArray(S, acc, accAt + 3 * ld + L)).intoArray(acc, accAt + 3 * ld + L);
        a4.add(FloatVector.fromArray(S, acc, accAt + 4 * ld)).intoArray(acc, accAt + 4 * ld);
        b4.add(FloatVector.fromArray(S, acc, accAt + 4 * ld + L)).intoArray(acc, accAt + 4 * ld + L);
        a5.add(FloatVector.fromArray(S, acc, accAt + 5 * ld)).intoArray(acc, accAt + 5 * ld);
        b5.add(FloatVector.fromArray(S, acc, accAt + 5 * ld + L)).intoArray(acc, accAt + 5 * ld + L);
        a6.add(FloatVector.fromArray(S, acc, accAt + 6 * ld)).intoArray(acc, accAt + 6 * ld);
        b6.add(FloatVector.fromArray(S, acc, accAt + 6 * ld + L)).intoArray(acc, accAt + 6 * ld + L);
        a7.add(FloatVector.fromArray(S, acc, accAt + 7 * ld)).intoArray(acc, accAt + 7 * ld);
        b7.add(FloatVector.fromArray(S, acc, accAt + 7 * ld + L)).intoArray(acc, accAt + 7 * ld + L);
    }

    /** Sample b's output gradient on the wide grid (rows of Wp, zero past ow) into dst: coutPad rows of {@code ld}. */
    private static void wideGradient(float[] go, int at, Plan g, int b, float[] dst, int dstAt, int ld) {
        int oh = g.oh(), ow = g.ow(), wq = g.wq();
        int coutPad = (g.cout + GC - 1) / GC * GC;
        java.util.Arrays.fill(dst, dstAt, dstAt + coutPad * ld, 0f);
        for (int co = 0; co < g.cout; co++) {
            int src = at + (b * g.cout + co) * oh * ow;
            int row = dstAt + co * ld;
            for (int y = 0; y < oh; y++, src += ow, row += wq) {
                System.arraycopy(go, src, dst, row, ow);
            }
        }
    }

    /**
     * acc[(co + a)·ldAcc + k + c] += Σ over the group's samples and wide pixels of
     * grad[co + a][q] · xp[q + off[k + c]], for a &lt; 4 filters and c &lt; 4 taps; lanes run along
     * the pixels and are summed once per group.
     */
    private static void gradTile(float[] buf, int gAt, int ld, int xAt, int[] off, int k, int sampleFloats, int count, int vectors,
                                 float[] acc, int accAt, int ldAcc, float[] lanes) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        for (int s = 0; s < count; s++) {
            int g0 = s * sampleFloats + gAt;
            int x0 = s * sampleFloats + xAt + off[k];
            int x1 = s * sampleFloats + xAt + off[k + 1];
            int x2 = s * sampleFloats + xAt + off[k + 2];
            int x3 = s * sampleFloats + xAt + off[k + 3];
            for (int v = 0, q = 0; v < vectors; v++, q += L) {
                FloatVector y0 = FloatVector.fromArray(S, buf, x0 + q);
                FloatVector y1 = FloatVector.fromArray(S, buf, x1 + q);
                FloatVector y2 = FloatVector.fromArray(S, buf, x2 + q);
                FloatVector y3 = FloatVector.fromArray(S, buf, x3 + q);
                FloatVector g = FloatVector.fromArray(S, buf, g0 + q);
                a00 = g.fma(y0, a00);
                a01 = g.fma(y1, a01);
                a02 = g.fma(y2, a02);
                a03 = g.fma(y3, a03);
                g = FloatVector.fromArray(S, buf, g0 + ld + q);
                a10 = g.fma(y0, a10);
                a11 = g.fma(y1, a11);
                a12 = g.fma(y2, a12);
                a13 = g.fma(y3, a13);
                g = FloatVector.fromArray(S, buf, g0 + 2 * ld + q);
                a20 = g.fma(y0, a20);
                a21 = g.fma(y1, a21);
                a22 = g.fma(y2, a22);
                a23 = g.fma(y3, a23);
                g = FloatVector.fromArray(S, buf, g0 + 3 * ld + q);
                a30 = g.fma(y0, a30);
                a31 = g.fma(y1, a31);
                a32 = g.fma(y2, a32);
                a33 = g.fma(y3, a33);
            }
        }
        // The lanes of each sum are added in a fixed order (lane 0 first) from a stored copy:
        // reduceLanes(ADD) rounds differently once compiled, and a helper taking the vectors
        // boxed them whenever it was not inlined.
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, L);
        a02.intoArray(lanes, 2 * L);
        a03.intoArray(lanes, 3 * L);
        a10.intoArray(lanes, 4 * L);
        a11.intoArray(lanes, 5 * L);
        a12.intoArray(lanes, 6 * L);
        a13.intoArray(lanes, 7 * L);
        a20.intoArray(lanes, 8 * L);
        a21.intoArray(lanes, 9 * L);
        a22.intoArray(lanes, 10 * L);
        a23.intoArray(lanes, 11 * L);
        a30.intoArray(lanes, 12 * L);
        a31.intoArray(lanes, 13 * L);
        a32.intoArray(lanes, 14 * L);
        a33.intoArray(lanes, 15 * L);
        for (int t = 0; t < GC * GK; t++) {
            acc[accAt + (t / GK) * ldAcc + t % GK] += Lanes.sum(lanes, t * L);
        }
    }
}
