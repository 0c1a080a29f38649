package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution computed in place, for layers with few channels (the first layer of the
 * notebook models, the 3-filter nets of the inductive-bias study). There im2col + GEMM spends its
 * time unfolding and packing a matrix with only Cout ≤ 16 rows to multiply; here each output row
 * is a vector of accumulators fed by weight × shifted input row, over a zero-padded copy of the
 * sample's input planes, so no bounds are checked in the inner loop.
 *
 * <p>The input gradient is the same convolution of the (zero-padded) output gradient with the
 * weights flipped and their two channel axes swapped; the weight gradient is one dot product per
 * tap, accumulated in vector lanes over the batch in a fixed order (thread-count independent).
 */
final class DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);

    private DirectConv() {
    }

    /** Whether the direct kernels serve this geometry: stride 1, no dilation or groups, few channels. */
    static boolean applies(int cin, int cout, Conv2dParams p) {
        return p.strideH() == 1 && p.strideW() == 1 && p.dilationH() == 1 && p.dilationW() == 1 && p.groups() == 1 && cin <= 3 && cout <= 8;
    }

    /** The input gradient is a direct convolution too unless the padding exceeds the kernel's reach. */
    static boolean appliesToInputGradient(int cin, int cout, int kh, int kw, Conv2dParams p) {
        return applies(cout, cin, p) && p.padH() <= kh - 1 && p.padW() <= kw - 1;
    }

    private static float[] buffer(ThreadLocal<float[]> cache, int size) {
        float[] c = cache.get();
        if (c.length < size) {
            c = new float[size];
            cache.set(c);
        }
        return c;
    }

    /**
     * Planes [plane0, plane0 + planes) of src (each h × w, at {@code at}) zero-padded by (ph, pw)
     * into rows of {@code stride} floats; the slack past each row's padding stays zero so that
     * full-vector loads near the right edge read zeros.
     */
    private static void pad(float[] src, int at, int planes, int h, int w, int ph, int pw, float[] dst, int rows, int stride) {
        java.util.Arrays.fill(dst, 0, planes * rows * stride, 0f);
        for (int c = 0; c < planes; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, at + (c * h + y) * w, dst, (c * rows + y + ph) * stride + pw, w);
            }
        }
    }

    /** Row stride of a padded plane: the padded width plus a vector of slack. */
    private static int strideOf(int w, int pw) {
        return w + 2 * pw + L;
    }

    /**
     * out (N, cout, oh, ow) at {@code oo} = x (N, cin, h, w) at {@code xo} convolved (stride 1,
     * padding ph, pw) with weights (cout, cin, kh, kw) at {@code wo}; one task per sample.
     */
    private static void convolve(float[] x, int xo, int n, int cin, int h, int w, float[] wt, int wo, int cout, int kh, int kw, int ph,
                                 int pw, float[] out, int oo, int oh, int ow) {
        int rows = h + 2 * ph;
        int stride = strideOf(w, pw);
        int taps = cin * kh * kw;
        Parallel.forChunks(n, b -> {
            float[] xp = buffer(PADDED, cin * rows * stride);
            pad(x, xo + b * cin * h * w, cin, h, w, ph, pw, xp, rows, stride);
            for (int co = 0; co < cout; co++) {
                int wBase = wo + co * taps;
                int oBase = oo + (b * cout + co) * oh * ow;
                int oy = 0;
                for (; oy + 4 <= oh; oy += 4) {
                    for (int ox = 0; ox < ow; ox += L) {
                        fourRows(xp, rows, stride, wt, wBase, cin, kh, kw, oy, ox, out, oBase, ow);
                    }
                }
                for (; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox += L) {
                        oneRow(xp, rows, stride, wt, wBase, cin, kh, kw, oy, ox, out, oBase, ow);
                    }
                }
            }
        });
    }

    /**
     * Output rows oy..oy+3 at columns ox..ox+L: four independent accumulator chains, so the FMA
     * latency is hidden, sharing each weight broadcast.
     */
    private static void fourRows(float[] xp, int rows, int stride, float[] wt, int wBase, int cin, int kh, int kw, int oy, int ox,
                                 float[] out, int oBase, int ow) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int ci = 0; ci < cin; ci++) {
            for (int i = 0; i < kh; i++) {
                int src = (ci * rows + oy + i) * stride + ox;
                int wk = wBase + (ci * kh + i) * kw;
                for (int j = 0; j < kw; j++, src++) {
                    FloatVector wv = FloatVector.broadcast(S, wt[wk + j]);
                    a0 = FloatVector.fromArray(S, xp, src).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, xp, src + stride).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, xp, src + 2 * stride).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, xp, src + 3 * stride).fma(wv, a3);
                }
            }
        }
        int at = oBase + oy * ow + ox;
        if (ox + L <= ow) {
            a0.intoArray(out, at);
            a1.intoArray(out, at + ow);
            a2.intoArray(out, at + 2 * ow);
            a3.intoArray(out, at + 3 * ow);
        } else {
            tail(a0, out, at, ow - ox);
            tail(a1, out, at + ow, ow - ox);
            tail(a2, out, at + 2 * ow, ow - ox);
            tail(a3, out, at + 3 * ow, ow - ox);
        }
    }

    private static void oneRow(float[] xp, int rows, int stride, float[] wt, int wBase, int cin, int kh, int kw, int oy, int ox,
                               float[] out, int oBase, int ow) {
        FloatVector acc = FloatVector.zero(S);
        for (int ci = 0; ci < cin; ci++) {
            for (int i = 0; i < kh; i++) {
                int src = (ci * rows + oy + i) * stride + ox;
                int wk = wBase + (ci * kh + i) * kw;
                for (int j = 0; j < kw; j++) {
                    acc = FloatVector.fromArray(S, xp, src + j).fma(FloatVector.broadcast(S, wt[wk + j]), acc);
                }
            }
        }
        int at = oBase + oy * ow + ox;
        if (ox + L <= ow) {
            acc.intoArray(out, at);
        } else {
            tail(acc, out, at, ow - ox);
        }
    }

    /**
     * The first {@code count} lanes of v into out at {@code at}. A masked store is compiled to one
     * instruction only when the whole vector lies inside the array; at the array's end the lanes
     * go one by one.
     */
    private static void tail(FloatVector v, float[] out, int at, int count) {
        if (at + L <= out.length) {
            v.intoArray(out, at, S.indexInRange(0, count));
        } else {
            for (int i = 0; i < count; i++) {
                out[at + i] = v.lane(i);
            }
        }
    }

    static void forward(Tensor out, Tensor x, Tensor weight, Conv2dParams p) {
        int[] xs = x.shape();
        int[] ws = weight.shape();
        convolve(Elementwise.f(x), x.offset(), xs[0], xs[1], xs[2], xs[3], Elementwise.f(weight), weight.offset(), ws[0], ws[2], ws[3],
                p.padH(), p.padW(), Elementwise.f(out), out.offset(), out.size(2), out.size(3));
    }

    /** gradInput = gradOut padded by (k − 1 − p) convolved with the weights flipped and channel-swapped. */
    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        int[] ws = weight.shape();
        int cout = ws[0], cin = ws[1], kh = ws[2], kw = ws[3];
        float[] w = Elementwise.f(weight);
        int wo = weight.offset();
        float[] flipped = new float[cin * cout * kh * kw];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        flipped[((ci * cout + co) * kh + kh - 1 - i) * kw + kw - 1 - j] = w[wo + ((co * cin + ci) * kh + i) * kw + j];
                    }
                }
            }
        }
        convolve(Elementwise.f(gradOut), gradOut.offset(), gradOut.size(0), cout, gradOut.size(2), gradOut.size(3), flipped, 0, cin, kh, kw,
                kh - 1 - p.padH(), kw - 1 - p.padW(), Elementwise.f(gradInput), gradInput.offset(), gradInput.size(2), gradInput.size(3));
    }

    /**
     * gradWeight[co][ci][i][j] = Σ over samples and output pixels of gradOut · padded input at the
     * tap's shift: one task per (co, ci, i) row of taps, lanes along output rows.
     */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        int[] xs = x.shape();
        int n = xs[0], cin = xs[1], h = xs[2], w = xs[3];
        int[] ws = gradWeight.shape();
        int cout = ws[0], kh = ws[2], kw = ws[3];
        int ph = p.padH(), pw = p.padW();
        int oh = gradOut.size(2), ow = gradOut.size(3);
        int rows = h + 2 * ph;
        int stride = strideOf(w, pw);
        float[] xd = Elementwise.f(x);
        float[] go = Elementwise.f(gradOut);
        int goOff = gradOut.offset();
        float[] gw = Elementwise.f(gradWeight);
        int gwOff = gradWeight.offset();
        // Every sample's padded planes, once, shared read-only by the tasks.
        int planeFloats = cin * rows * stride;
        float[] xp = new float[n * planeFloats];
        Parallel.forChunks(n, b -> {
            float[] tmp = buffer(PADDED, planeFloats);
            pad(xd, x.offset() + b * cin * h * w, cin, h, w, ph, pw, tmp, rows, stride);
            System.arraycopy(tmp, 0, xp, b * planeFloats, planeFloats);
        });
        // gradOut's rows too, padded to whole vectors with zeros, so no load needs a mask.
        int gStride = (ow + L - 1) / L * L;
        float[] gp = new float[n * cout * oh * gStride];
        for (int r = 0; r < n * cout * oh; r++) {
            System.arraycopy(go, goOff + r * ow, gp, r * gStride, ow);
        }
        Parallel.forChunks(cout * cin * kh, t -> {
            int i = t % kh;
            int ci = t / kh % cin;
            int co = t / (kh * cin);
            int dst = gwOff + ((co * cin + ci) * kh + i) * kw;
            for (int j = 0; j < kw; j += 2) {
                tapPair(gp, co * oh * gStride, cout * oh * gStride, gStride, xp, ci * rows * stride + i * stride + j, planeFloats, stride, n, oh,
                        gw, dst + j, Math.min(2, kw - j));
            }
        });
    }

    /**
     * Σ over samples b, rows oy and columns ox of g[gAt + b·gStep + oy·gStride + ox] ·
     * xp[xAt + b·xStep + oy·stride + ox] and the same at xAt + 1 (the next tap), over whole
     * vectors of the zero-padded rows of g, sharing each load of g; lanes along the row, even and
     * odd rows in separate chains to hide the FMA latency. Writes the first {@code count} (1 or 2)
     * sums to gw[at], gw[at + 1]; a row's slack keeps the unused second tap's loads in bounds.
     */
    private static void tapPair(float[] g, int gAt, int gStep, int gStride, float[] xp, int xAt, int xStep, int stride, int n, int oh,
                                float[] gw, int at, int count) {
        FloatVector e0 = FloatVector.zero(S);
        FloatVector e1 = e0;
        FloatVector o0 = e0;
        FloatVector o1 = e0;
        for (int b = 0; b < n; b++) {
            int gb = gAt + b * gStep;
            int xb = xAt + b * xStep;
            for (int oy = 0; oy < oh; oy += 2) {
                int gr = gb + oy * gStride;
                int xr = xb + oy * stride;
                for (int ox = 0; ox < gStride; ox += L) {
                    FloatVector gv = FloatVector.fromArray(S, g, gr + ox);
                    e0 = gv.fma(FloatVector.fromArray(S, xp, xr + ox), e0);
                    e1 = gv.fma(FloatVector.fromArray(S, xp, xr + ox + 1), e1);
                }
                if (oy + 1 < oh) {
                    gr += gStride;
                    xr += stride;
                    for (int ox = 0; ox < gStride; ox += L) {
                        FloatVector gv = FloatVector.fromArray(S, g, gr + ox);
                        o0 = gv.fma(FloatVector.fromArray(S, xp, xr + ox), o0);
                        o1 = gv.fma(FloatVector.fromArray(S, xp, xr + ox + 1), o1);
                    }
                }
            }
        }
        gw[at] = e0.add(o0).reduceLanes(VectorOperators.ADD);
        if (count == 2) {
            gw[at + 1] = e1.add(o1).reduceLanes(VectorOperators.ADD);
        }
    }
}
