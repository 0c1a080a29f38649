package dev.cortado.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution of one (sample, channel) plane at a time with the accumulators in
 * registers: each block of eight (then four) output vectors takes every tap in turn (one load and
 * one multiply-add per vector and tap) and is stored once, where adding a tap's row to the output
 * in memory cost two loads and a store per multiply-add.
 *
 * <p>So that every tap's inputs are one contiguous run, the zero-padded plane is first split into
 * phase planes by row and column remainder modulo the stride ({@code stride × stride} of them, one
 * at stride 1), each {@code wq = ceil(paddedWidth / strideW)} wide. The output is computed as a
 * flat run of rows {@code wq} wide: output (oy, ox) at {@code oy·wq + ox} reads tap (i, j) at the
 * same index plus a fixed offset in the phase plane of (i·dH mod sH, j·dW mod sW). The columns
 * past the output width are computed and dropped, which also keeps narrow planes (7 or 14 wide)
 * in whole vectors; the phase planes carry zero rows past the end so no load needs a mask.
 */
final class DepthwisePlanes extends DepthwiseGeometry {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int BLOCK = 4 * L;
    /** A padded row's even lanes, or its odd ones, gathered into the lower half: its two column phases at stride 2. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) % L);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % L);
    private static final VectorMask<Float> LOWER_HALF = S.indexInRange(0, L / 2);

    private static final Scratch PHASES = new Scratch();
    private static final Scratch OUTPUT = new Scratch();
    private static final Scratch ROW = new Scratch();

    /** Row width of the phase planes and of the flat output. */
    private final int wq;
    private final int rows;
    private final int phaseSize;
    /** Per tap, where its inputs start: the phase plane's offset plus the tap's shift inside it. */
    private final int[] tapOffset;
    /** Per tap, its index in the channel's weights: taps in order. */
    private final int[] tapWeight;
    /** The lanes of an input row and of an output row where they fit in one vector, else null: copied by one masked load and store. */
    private final VectorMask<Float> inRow;
    private final VectorMask<Float> outRow;
    /** The lanes of an output row's last, partial vector. */
    private final VectorMask<Float> tail;
    /** Output positions computed, a whole number of blocks of four vectors. */
    private final int computed;

    /**
     * The geometry of a depthwise convolution of h × w planes to oh × ow ones with a kh × kw
     * kernel, strides, zero padding and dilations.
     */
    DepthwisePlanes(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        super(h, w, oh, ow, kh, kw, sh, sw, ph, pw);
        this.wq = (w + 2 * pw + sw - 1) / sw;
        this.computed = (oh * wq + BLOCK - 1) / BLOCK * BLOCK;
        int reach = ((kh - 1) * dh / sh) * wq + (kw - 1) * dw / sw;
        // Rows enough for the last block's furthest tap; the rows past the padded plane are zeros.
        this.rows = (computed + reach + wq - 1) / wq;
        this.phaseSize = rows * wq;
        this.inRow = w <= L ? S.indexInRange(0, w) : null;
        this.outRow = ow <= L ? S.indexInRange(0, ow) : null;
        this.tail = S.indexInRange(0, ow % L);
        this.tapOffset = new int[taps];
        this.tapWeight = java.util.stream.IntStream.range(0, taps).toArray();
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int phase = (i * dh % sh) * sw + j * dw % sw;
                tapOffset[i * kw + j] = phase * phaseSize + (i * dh / sh) * wq + j * dw / sw;
            }
        }
    }

    /**
     * dst's planes (oh × ow each, contiguous from dOff) from src's (h × w, from sOff): plane p
     * is channel p mod c, whose taps are {@code weights[wOff + channel·taps ...]}, plus the
     * channel's bias when bias is not null.
     */
    void run(float[] dst, int dOff, float[] src, int sOff, float[] weights, int wOff, float[] bias, int bOff, int planes, int c) {
        int grain = Math.max(1, 8192 / Math.max(1, oh * ow));
        Parallel.forRange(planes, grain, (from, to) -> {
            float[] phases = PHASES.get(sh * sw * phaseSize);
            float[] out = OUTPUT.get(computed + L);
            float[] row = ROW.get(wq * sw + L);
            for (int pl = from; pl < to; pl++) {
                int ch = pl % c;
                boolean first = pl == from;
                split(src, sOff + pl * h * w, phases, row, first);
                compute(phases, tapOffset, tapWeight, taps, weights, wOff + ch * taps, bias == null ? 0f : bias[bOff + ch], out, computed, 0);
                int d = dOff + pl * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    if (outRow != null) {
                        FloatVector.fromArray(S, out, oy * wq).intoArray(dst, d + oy * ow, outRow);
                    } else {
                        System.arraycopy(out, oy * wq, dst, d + oy * ow, ow);
                    }
                }
            }
        });
    }

    /**
     * gw[gwOff + channel·taps + t] = Σ over the n samples and the output positions of the output
     * gradient times the input that tap t read there: per plane, the output gradient is laid out
     * in the flat rows, and each tap's sum is a dot product with its shifted run of the phase
     * planes.
     */
    void weightGradient(float[] gw, int gwOff, float[] go, int goOff, float[] x, int xOff, int n, int c) {
        Parallel.forRange(c, 1, (from, to) -> {
            float[] phases = PHASES.get(sh * sw * phaseSize);
            float[] g = OUTPUT.get(computed);
            float[] row = ROW.get(wq * sw + L);
            float[] lanes = new float[taps * L];
            double[] sums = new double[taps];
            // The flat rows' columns past the output width, and the rows after the last, stay zero.
            java.util.Arrays.fill(g, 0, computed, 0f);
            for (int ch = from; ch < to; ch++) {
                java.util.Arrays.fill(sums, 0);
                for (int b = 0; b < n; b++) {
                    int pl = b * c + ch;
                    split(x, xOff + pl * h * w, phases, row, ch == from && b == 0);
                    for (int oy = 0; oy < oh; oy++) {
                        System.arraycopy(go, goOff + pl * oh * ow + oy * ow, g, oy * wq, ow);
                    }
                    for (int t = 0; t < taps; t++) {
                        if (!flatDot(g, phases, tapOffset[t], lanes, t * L)) {
                            sums[t] += exactDot(g, phases, tapOffset[t]);
                        }
                    }
                    // Lanes gather up to eight samples in float, then go into the double sums.
                    if ((b & 7) == 7 || b == n - 1) {
                        for (int t = 0; t < taps; t++) {
                            sums[t] += Lanes.sum(lanes, t * L);
                        }
                        java.util.Arrays.fill(lanes, 0f);
                    }
                }
                for (int t = 0; t < taps; t++) {
                    gw[gwOff + ch * taps + t] = (float) sums[t];
                }
            }
        });
    }

    /**
     * Adds Σ g[q] · phases[offset + q] over every computed position, lane by lane, to
     * lanes[at ...]. The flat run includes the columns past the output width, where g is zero:
     * that adds nothing while the input they read is finite. An infinite one would make 0 · ∞ =
     * NaN, a term the sum does not have, so a non-finite result is not added; false tells the
     * caller to take {@link #exactDot} instead.
     */
    private boolean flatDot(float[] g, float[] phases, int offset, float[] lanes, int at) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int q = 0; q < computed; q += BLOCK) {
            a0 = FloatVector.fromArray(S, g, q).fma(FloatVector.fromArray(S, phases, offset + q), a0);
            a1 = FloatVector.fromArray(S, g, q + L).fma(FloatVector.fromArray(S, phases, offset + q + L), a1);
            a2 = FloatVector.fromArray(S, g, q + 2 * L).fma(FloatVector.fromArray(S, phases, offset + q + 2 * L), a2);
            a3 = FloatVector.fromArray(S, g, q + 3 * L).fma(FloatVector.fromArray(S, phases, offset + q + 3 * L), a3);
        }
        FloatVector sum = a0.add(a1).add(a2.add(a3));
        if (!sum.test(VectorOperators.IS_FINITE).allTrue()) {
            return false;
        }
        sum.add(FloatVector.fromArray(S, lanes, at)).intoArray(lanes, at);
        return true;
    }

    /** Σ g[q] · phases[offset + q] over the output positions alone, row by row. */
    private float exactDot(float[] g, float[] phases, int offset) {
        int whole = ow / L * L;
        float sum = 0f;
        if (whole > 0) {
            sum = rowsDot(g, phases, offset, whole);
        }
        if (whole < ow) {
            sum += tailsDot(g, phases, offset, whole);
        }
        return sum;
    }

    /** The whole vectors of every row, four rows at a time with an accumulator each, so that the multiply-adds do not wait on one another. */
    private float rowsDot(float[] g, float[] phases, int offset, int whole) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int oy = 0;
        for (; oy + 4 <= oh; oy += 4) {
            int r = oy * wq;
            for (int k = r; k < r + whole; k += L) {
                a0 = FloatVector.fromArray(S, g, k).fma(FloatVector.fromArray(S, phases, offset + k), a0);
                a1 = FloatVector.fromArray(S, g, k + wq).fma(FloatVector.fromArray(S, phases, offset + k + wq), a1);
                a2 = FloatVector.fromArray(S, g, k + 2 * wq).fma(FloatVector.fromArray(S, phases, offset + k + 2 * wq), a2);
                a3 = FloatVector.fromArray(S, g, k + 3 * wq).fma(FloatVector.fromArray(S, phases, offset + k + 3 * wq), a3);
            }
        }
        for (; oy < oh; oy++) {
            int r = oy * wq;
            for (int k = r; k < r + whole; k += L) {
                a0 = FloatVector.fromArray(S, g, k).fma(FloatVector.fromArray(S, phases, offset + k), a0);
            }
        }
        return Lanes.sum(a0.add(a1).add(a2.add(a3)));
    }

    /** Each row's last, partial vector, its lanes past the output width neither loaded nor added. */
    private float tailsDot(float[] g, float[] phases, int offset, int whole) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        int oy = 0;
        for (; oy + 2 <= oh; oy += 2) {
            int k = oy * wq + whole;
            a0 = FloatVector.fromArray(S, g, k, tail).fma(FloatVector.fromArray(S, phases, offset + k, tail), a0);
            a1 = FloatVector.fromArray(S, g, k + wq, tail).fma(FloatVector.fromArray(S, phases, offset + k + wq, tail), a1);
        }
        if (oy < oh) {
            int k = oy * wq + whole;
            a0 = FloatVector.fromArray(S, g, k, tail).fma(FloatVector.fromArray(S, phases, offset + k, tail), a0);
        }
        return Lanes.sum(a0.add(a1));
    }

    /**
     * Writes the input plane at x[s ...] into the phase planes. Only the input's own values are
     * written: the padding and the rows past the plane are the same zeros for every plane, written
     * once when a thread starts its run of planes (first).
     */
    private void split(float[] x, int s, float[] phases, float[] row, boolean first) {
        if (first) {
            java.util.Arrays.fill(phases, 0, sh * sw * phaseSize, 0f);
            java.util.Arrays.fill(row, 0f);
        }
        for (int iy = 0; iy < h; iy++) {
            int r = (iy + ph) / sh;
            int a = (iy + ph) % sh;
            int at = a * sw * phaseSize + r * wq;
            if (sw == 1 && inRow != null) {
                FloatVector.fromArray(S, x, s + iy * w, inRow).intoArray(phases, at + pw, inRow);
            } else if (sw == 1) {
                System.arraycopy(x, s + iy * w, phases, at + pw, w);
            } else {
                System.arraycopy(x, s + iy * w, row, pw, w);
                splitColumns(row, phases, at);
            }
        }
    }

    /** Column c of phase b is the padded row's value c·sw + b: two shuffles per vector at stride 2. */
    private void splitColumns(float[] row, float[] phases, int at) {
        if (sw == 2) {
            for (int k = 0; k < wq; k += L / 2) {
                FloatVector v = FloatVector.fromArray(S, row, 2 * k);
                VectorMask<Float> m = LOWER_HALF.and(S.indexInRange(k, wq));
                v.rearrange(EVEN).intoArray(phases, at + k, m);
                v.rearrange(ODD).intoArray(phases, at + phaseSize + k, m);
            }
            return;
        }
        for (int b = 0; b < sw; b++) {
            int base = at + b * phaseSize;
            for (int k = 0; k < wq; k++) {
                phases[base + k] = row[k * sw + b];
            }
        }
    }

    /**
     * out[outOff + q] = bias + Σ over the n taps of weights[wBase + tapWeight[t]] ·
     * src[tapOffset[t] + q] for q below computed (a multiple of {@link #BLOCK}), eight or four
     * vectors at a time.
     */
    static void compute(float[] src, int[] tapOffset, int[] tapWeight, int n, float[] weights, int wBase, float bias, float[] out,
                        int computed, int outOff) {
        FloatVector b = FloatVector.broadcast(S, bias);
        int q = 0;
        for (; q + 2 * BLOCK <= computed; q += 2 * BLOCK) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            FloatVector a4 = b;
            FloatVector a5 = b;
            FloatVector a6 = b;
            FloatVector a7 = b;
            for (int t = 0; t < n; t++) {
                FloatVector wv = FloatVector.broadcast(S, weights[wBase + tapWeight[t]]);
                int at = tapOffset[t] + q;
                a0 = FloatVector.fromArray(S, src, at).fma(wv, a0);
                a1 = FloatVector.fromArray(S, src, at + L).fma(wv, a1);
                a2 = FloatVector.fromArray(S, src, at + 2 * L).fma(wv, a2);
                a3 = FloatVector.fromArray(S, src, at + 3 * L).fma(wv, a3);
                a4 = FloatVector.fromArray(S, src, at + 4 * L).fma(wv, a4);
                a5 = FloatVector.fromArray(S, src, at + 5 * L).fma(wv, a5);
                a6 = FloatVector.fromArray(S, src, at + 6 * L).fma(wv, a6);
                a7 = FloatVector.fromArray(S, src, at + 7 * L).fma(wv, a7);
            }
            a0.intoArray(out, outOff + q);
            a1.intoArray(out, outOff + q + L);
            a2.intoArray(out, outOff + q + 2 * L);
            a3.intoArray(out, outOff + q + 3 * L);
            a4.intoArray(out, outOff + q + 4 * L);
            a5.intoArray(out, outOff + q + 5 * L);
            a6.intoArray(out, outOff + q + 6 * L);
            a7.intoArray(out, outOff + q + 7 * L);
        }
        for (; q + BLOCK <= computed; q += BLOCK) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            for (int t = 0; t < n; t++) {
                FloatVector wv = FloatVector.broadcast(S, weights[wBase + tapWeight[t]]);
                int at = tapOffset[t] + q;
                a0 = FloatVector.fromArray(S, src, at).fma(wv, a0);
                a1 = FloatVector.fromArray(S, src, at + L).fma(wv, a1);
                a2 = FloatVector.fromArray(S, src, at + 2 * L).fma(wv, a2);
                a3 = FloatVector.fromArray(S, src, at + 3 * L).fma(wv, a3);
            }
            a0.intoArray(out, outOff + q);
            a1.intoArray(out, outOff + q + L);
            a2.intoArray(out, outOff + q + 2 * L);
            a3.intoArray(out, outOff + q + 3 * L);
        }
    }
}
