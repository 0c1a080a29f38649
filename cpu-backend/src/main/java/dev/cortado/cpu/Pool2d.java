package dev.cortado.cpu;

import dev.cortado.backend.Pool2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Max and average pooling, one (sample, channel) plane per task. */
final class Pool2d {
    private Pool2d() {
    }

    static void max(Tensor out, Tensor indices, Tensor x, Pool2dParams p) {
        int h = x.size(2), w = x.size(3);
        int oh = out.size(2), ow = out.size(3);
        float[] xd = Elementwise.f(x);
        float[] od = Elementwise.f(out);
        long[] id = Elementwise.l(indices);
        int xo = x.offset(), oo = out.offset(), io = indices.offset();
        if (p.kernelH() == 2 && p.kernelW() == 2 && p.strideH() == 2 && p.strideW() == 2 && p.padH() == 0 && p.padW() == 0
                && p.dilationH() == 1 && p.dilationW() == 1 && 2 * oh <= h && 2 * ow <= w) {
            Parallel.forRange(x.size(0) * x.size(1), Math.max(1, 4096 / Math.max(1, oh * ow)),
                    (from, to) -> max2x2(xd, xo, od, oo, id, io, from, to, h, w, oh, ow));
            return;
        }
        if (ow >= MaxPoolRows.MIN_OUTPUT_WIDTH) {
            Parallel.forRange(x.size(0) * x.size(1), Math.max(1, 4096 / Math.max(1, oh * ow)),
                    (from, to) -> MaxPoolRows.max(xd, xo, od, oo, id, io, from, to, h, w, oh, ow, p));
            return;
        }
        // A few outputs a row, or one (global pooling): the lanes would mostly idle, while a
        // large window's scan rarely finds a new maximum, so the branch below predicts well.
        Parallel.forRange(x.size(0) * x.size(1), Math.max(1, 4096 / Math.max(1, oh * ow * p.kernelH() * p.kernelW())), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int in = xo + pl * h * w;
                for (int y = 0; y < oh; y++) {
                    int y0 = y * p.strideH() - p.padH();
                    for (int xx = 0; xx < ow; xx++) {
                        int x0 = xx * p.strideW() - p.padW();
                        float best = Float.NEGATIVE_INFINITY;
                        int bestAt = -1;
                        for (int i = 0; i < p.kernelH(); i++) {
                            int iy = y0 + i * p.dilationH();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int j = 0; j < p.kernelW(); j++) {
                                int ix = x0 + j * p.dilationW();
                                if (ix < 0 || ix >= w) {
                                    continue;
                                }
                                float v = xd[in + iy * w + ix];
                                // NaN propagates, as in PyTorch: it beats everything, an earlier NaN too.
                                if (bestAt < 0 || v > best || v != v) {
                                    best = v;
                                    bestAt = iy * w + ix;
                                }
                            }
                        }
                        int o = (pl * oh + y) * ow + xx;
                        od[oo + o] = best;
                        id[io + o] = bestAt;
                    }
                }
            }
        });
    }

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final Scratch MASKED = new Scratch();
    private static final VectorSpecies<Integer> IS = FS.withLanes(int.class);
    private static final VectorSpecies<Long> LS = FS.withLanes(long.class);
    /** One lane per output: the species as wide as LS's lane count in 32-bit lanes. */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(FS.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> IH = FH.withLanes(int.class);

    /**
     * The 2×2, stride-2 window of LeNet and the notebook ConvNets, one output per 64-bit lane: a
     * window row's two inputs are adjacent, so a float vector loaded from a row holds the pairs
     * of LS.length() outputs, and shifting each 64-bit lane right by 32 lines every pair's right
     * input up with its left one. Top pair, bottom pair, then the two winners, each "the right
     * one if larger or NaN": that is the general loop's visiting order, so the same index wins
     * ties and NaNs. Narrowing the 64-bit lanes to 32 packs the winners; the index is computed in
     * 64-bit lanes already. Gathering each window's four corners took twice as long, and splitting
     * even from odd columns with two-vector shuffles longer still.
     *
     * <p>Loads and stores are whole vectors wherever the lanes past the row stay inside the arrays
     * and the task: inputs read past the last window are ignored, and outputs written past the row
     * are the next rows' and planes', written again, correctly, after these. Masked loads and
     * stores took more than twice as long, so only the last vectors of the task and of the input
     * use them. Float lane 2j is the low half of 64-bit lane j (reinterpretation is little-endian
     * on the platforms the Vector API compiles for; the contract tests check every index). Vectors
     * stay inside this method: passed to a helper that the JIT does not inline, each would be boxed.
     */
    private static void max2x2(float[] xd, int xo, float[] od, int oo, long[] id, int io, int from, int to, int h, int w, int oh, int ow) {
        int pairs = LS.length();
        int taskEnd = to * oh * ow;
        LongVector columns = LongVector.zero(LS).addIndex(2);
        IntVector zero = IntVector.zero(IS);
        IntVector one = zero.broadcast(1);
        IntVector below = zero.broadcast(w);
        IntVector belowRight = zero.broadcast(w + 1);
        for (int pl = from; pl < to; pl++) {
            int in = xo + pl * h * w;
            for (int y = 0; y < oh; y++) {
                int top0 = in + 2 * y * w;
                for (int xx = 0; xx < ow; xx += pairs) {
                    int n = Math.min(pairs, ow - xx);
                    FloatVector a;
                    FloatVector b;
                    if (top0 + w + 2 * xx + 2 * pairs <= xd.length) {
                        a = FloatVector.fromArray(FS, xd, top0 + 2 * xx);
                        b = FloatVector.fromArray(FS, xd, top0 + w + 2 * xx);
                    } else {
                        VectorMask<Float> m = FS.indexInRange(0, 2 * n);
                        a = FloatVector.fromArray(FS, xd, top0 + 2 * xx, m);
                        b = FloatVector.fromArray(FS, xd, top0 + w + 2 * xx, m);
                    }
                    FloatVector aRight = a.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
                    FloatVector bRight = b.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).reinterpretAsFloats();
                    VectorMask<Float> topTakes = wins(aRight, a);
                    VectorMask<Float> bottomTakes = wins(bRight, b);
                    FloatVector top = a.blend(aRight, topTakes);
                    FloatVector bottom = b.blend(bRight, bottomTakes);
                    VectorMask<Float> bottomWins = wins(bottom, top);
                    FloatVector best = top.blend(bottom, bottomWins);
                    IntVector offTop = zero.blend(one, topTakes.cast(IS));
                    IntVector offBottom = below.blend(belowRight, bottomTakes.cast(IS));
                    IntVector off = offTop.blend(offBottom, bottomWins.cast(IS));
                    LongVector arg = off.reinterpretAsLongs().lanewise(VectorOperators.AND, 0xFFFFFFFFL).add(columns).add(2L * y * w + 2L * xx);
                    FloatVector packed = ((IntVector) best.reinterpretAsLongs().convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    int o = (pl * oh + y) * ow + xx;
                    if (o + pairs <= taskEnd) {
                        packed.intoArray(od, oo + o);
                        arg.intoArray(id, io + o);
                    } else {
                        packed.intoArray(od, oo + o, FH.indexInRange(0, n));
                        arg.intoArray(id, io + o, LS.indexInRange(0, n));
                    }
                }
            }
        }
    }

    /** Whether v replaces best: it is larger, or a NaN (as in PyTorch, the last NaN of a window keeps its index). */
    static VectorMask<Float> wins(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
    }

    static void maxBackward(Tensor gradInput, Tensor gradOut, Tensor indices) {
        maxBackward(gradInput, gradOut, indices, null);
    }

    /**
     * Scatters gradOut to the maxima; with {@code pooled} (the pooling's output, a ReLU's output
     * at each maximum) only where it is not at most 0 (positive or NaN), which is ReLU's backward
     * done in the same pass.
     * The sums come out the same either way: every output scattered to one input element shares
     * that element's pooled value, so either all of them count or the element is zero.
     */
    static void maxBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Tensor pooled) {
        int plane = gradInput.size(2) * gradInput.size(3);
        int outPlane = gradOut.size(2) * gradOut.size(3);
        float[] gi = Elementwise.f(gradInput);
        float[] go = Elementwise.f(gradOut);
        long[] id = Elementwise.l(indices);
        float[] pd = pooled == null ? null : Elementwise.f(pooled);
        int gio = gradInput.offset(), goo = gradOut.offset(), io = indices.offset(), po = pooled == null ? 0 : pooled.offset();
        Parallel.forRange(gradInput.size(0) * gradInput.size(1), Math.max(1, 4096 / Math.max(1, plane)), (from, to) -> {
            float[] masked = pd == null ? null : MASKED.get(outPlane);
            for (int pl = from; pl < to; pl++) {
                // Zeroed plane by plane, so the scatter finds it in L1: a task's whole range of
                // planes (300 kB for LeNet's first pool) had left L1 before the scatter came back.
                int base = gio + pl * plane;
                java.util.Arrays.fill(gi, base, base + plane, 0f);
                int at = pl * outPlane;
                float[] src = go;
                int srcAt = goo + at;
                if (pd != null) {
                    // Masked into a buffer first with vector blends: a branch per output on the
                    // sign of a ReLU's output is a coin toss, and the mispredictions made this
                    // pass slower than the two it replaces.
                    src = masked;
                    srcAt = 0;
                    int o = 0;
                    for (; o <= outPlane - FS.length(); o += FS.length()) {
                        FloatVector.fromArray(FS, go, goo + at + o).blend(FloatVector.zero(FS),
                                FloatVector.fromArray(FS, pd, po + at + o).compare(VectorOperators.LE, 0f)).intoArray(src, o);
                    }
                    for (; o < outPlane; o++) {
                        src[o] = pd[po + at + o] <= 0f ? 0f : go[goo + at + o];
                    }
                }
                for (int o = 0; o < outPlane; o++, at++) {
                    int k = (int) id[io + at];
                    if (k >= 0) {  // -1: a window that reaches no pixel (dilation can jump over a small image)
                        gi[base + k] += src[srcAt + o];
                    }
                }
            }
        });
    }

    /** Clipped window bounds {y0, y1, x0, x1} and PyTorch's divisor for output (y, x). */
    private static int window(int y, int x, int h, int w, Pool2dParams p, int[] win) {
        int y0 = y * p.strideH() - p.padH();
        int x0 = x * p.strideW() - p.padW();
        int y1 = Math.min(y0 + p.kernelH(), h + p.padH());
        int x1 = Math.min(x0 + p.kernelW(), w + p.padW());
        int padded = (y1 - y0) * (x1 - x0);
        win[0] = Math.max(y0, 0);
        win[1] = Math.min(y1, h);
        win[2] = Math.max(x0, 0);
        win[3] = Math.min(x1, w);
        return p.countIncludePad() ? padded : (win[1] - win[0]) * (win[3] - win[2]);
    }

    static void avg(Tensor out, Tensor x, Pool2dParams p) {
        int h = x.size(2), w = x.size(3);
        int oh = out.size(2), ow = out.size(3);
        float[] xd = Elementwise.f(x);
        float[] od = Elementwise.f(out);
        int xo = x.offset(), oo = out.offset();
        Parallel.forRange(x.size(0) * x.size(1), Math.max(1, 4096 / Math.max(1, oh * ow)), (from, to) -> {
            int[] win = new int[4];
            for (int pl = from; pl < to; pl++) {
                int in = xo + pl * h * w;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int div = window(y, xx, h, w, p, win);
                        float sum = 0f;
                        for (int iy = win[0]; iy < win[1]; iy++) {
                            for (int ix = win[2]; ix < win[3]; ix++) {
                                sum += xd[in + iy * w + ix];
                            }
                        }
                        od[oo + (pl * oh + y) * ow + xx] = sum / div;
                    }
                }
            }
        });
    }

    static void avgBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p) {
        int h = gradInput.size(2), w = gradInput.size(3);
        int oh = gradOut.size(2), ow = gradOut.size(3);
        float[] gi = Elementwise.f(gradInput);
        float[] go = Elementwise.f(gradOut);
        int gio = gradInput.offset(), goo = gradOut.offset();
        Parallel.forRange(gradInput.size(0) * gradInput.size(1), Math.max(1, 4096 / Math.max(1, h * w)), (from, to) -> {
            java.util.Arrays.fill(gi, gio + from * h * w, gio + to * h * w, 0f);
            int[] win = new int[4];
            for (int pl = from; pl < to; pl++) {
                int in = gio + pl * h * w;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int div = window(y, xx, h, w, p, win);
                        float g = go[goo + (pl * oh + y) * ow + xx] / div;
                        for (int iy = win[0]; iy < win[1]; iy++) {
                            for (int ix = win[2]; ix < win[3]; ix++) {
                                gi[in + iy * w + ix] += g;
                            }
                        }
                    }
                }
            }
        });
    }
}
