package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3×3, stride-1 convolution by Winograd's F(2×2, 3×3): each 2×2 block of outputs ("tile") comes
 * from a 4×4 window of input, and in the transformed domain the 36 multiplies of direct
 * convolution per tile and channel pair become 16. Per sample: the input windows are transformed
 * (V = Bᵀ d B, 16 values per tile and channel), sixteen products M_ξ = U_ξ · V_ξ of the
 * transformed filters (U = G g Gᵀ) with the transformed input, one per position ξ of the 4×4
 * transform, then Y = Aᵀ M A gives the tiles. The vector lanes hold tiles; a sample's
 * transformed input and products stay in the core's L2 cache.
 */
final class Winograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Half a vector: one 32-bit lane per 64-bit lane of a full one. */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> IH = FH.withLanes(int.class);
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);
    private static final int H = FH.length();
    /** Filters per product tile: the products run on the implicit GEMM's forward tile. */
    private static final int MR = ImplicitConv.MR;

    private static final Scratch INPUT = new Scratch();
    private static final Scratch TRANSFORMED = new Scratch();
    private static final Scratch PRODUCTS = new Scratch();

    /**
     * At least this many input channels and filters; half as many where the tile rows are whole
     * half vectors (no gathers or scatters). Below, the transforms cost more than the multiplies
     * save.
     */
    static final int MIN_CHANNELS = 64;
    /** A sample's transformed input, 16 values per tile and channel, at most this many floats. */
    private static final long MAX_TRANSFORMED = 1 << 22;

    private Winograd() {
    }

    /**
     * A 3×3, stride-1 layer of at least {@link #MIN_CHANNELS} input channels and filters (half
     * as many on planes whose tile rows are whole half vectors), with padding of at most 2 (so
     * the input gradient's padding, 2 − p, is one too). Measured on this backend against the
     * implicit GEMM, forward and input gradient alike, one thread: 100 → 100 channels on 32×32
     * planes (ThreeLayerConvNet's second layer) 0.61–0.66 of its time, 64 → 64 on 8×8 (ResNet-20's
     * last stage) about 0.85, 32 → 32 on 16×16 (its middle stage) 0.77–1.02; 32 → 64 on 7×7 (the
     * 3-conv CNN's last layer, gathered) 1.1–1.4 times, 16 → 16 on 32×32 1.3 times.
     */
    static boolean applies(int cin, int cout, int h, int w, Conv2dParams p) {
        if (p.kernelH() != 3 || p.kernelW() != 3 || p.strideH() != 1 || p.strideW() != 1 || p.dilationH() != 1 || p.dilationW() != 1
                || p.groups() != 1 || p.padH() > 2 || p.padW() > 2) {
            return false;
        }
        int th = (h + 2 * p.padH() - 1) / 2, tw = (w + 2 * p.padW() - 1) / 2;
        int min = tw % H == 0 ? MIN_CHANNELS / 2 : MIN_CHANNELS;
        return cin >= min && cout >= min && 16L * Math.max(cin, cout) * (th + 1) * (tw + 1) <= MAX_TRANSFORMED;
    }

    /**
     * out = x convolved with the 3×3 weight (stride 1), plus bias unless null. False, with out
     * unspecified, when a value is not finite, and false without work when there are fewer
     * samples than threads: the tasks are samples, where the implicit GEMM also splits filters.
     */
    static boolean forward(Tensor out, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        int[] xs = x.shape();
        if (xs[0] < Parallel.threads()) {
            return false;
        }
        int cout = weight.size(0);
        float[] u = transformFilters(Elementwise.f(weight), weight.offset(), cout, xs[1], false);
        if (u == null) {
            return false;
        }
        boolean done = convolve(new Plan(xs[0], xs[1], xs[2], xs[3], cout, p.padH(), p.padW()), Elementwise.f(x), x.offset(), u,
                ImplicitConv.biasValues(bias, cout),
                Elementwise.f(out), out.offset());
        CpuPool.give(u);
        return done;
    }

    /** gradInput = gradOut padded by 2 − p convolved with the weights flipped and channel-swapped; false as for forward. */
    static boolean backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        if (gradOut.size(0) < Parallel.threads()) {
            return false;
        }
        int cout = weight.size(0), cin = weight.size(1);
        float[] u = transformFilters(Elementwise.f(weight), weight.offset(), cin, cout, true);
        if (u == null) {
            return false;
        }
        boolean done = convolve(new Plan(gradOut.size(0), cout, gradOut.size(2), gradOut.size(3), cin, 2 - p.padH(), 2 - p.padW()),
                Elementwise.f(gradOut), gradOut.offset(), u, null, Elementwise.f(gradInput), gradInput.offset());
        CpuPool.give(u);
        return done;
    }

    /** The shapes of one call: n samples of cin planes h × w padded by (ph, pw), cout filters. */
    private record Plan(int n, int cin, int h, int w, int cout, int ph, int pw) {
        int oh() {
            return h + 2 * ph - 2;
        }

        int ow() {
            return w + 2 * pw - 2;
        }

        int th() {
            return (oh() + 1) / 2;
        }

        int tw() {
            return (ow() + 1) / 2;
        }

        /** Tiles per plane, rounded up to whole vectors. */
        int tiles() {
            return (th() * tw() + L - 1) / L * L;
        }

        /** The padded plane covers every tile's window: 2·th + 2 rows of 2·tw + 2. */
        int hp() {
            return 2 * th() + 2;
        }

        int wp() {
            return 2 * tw() + 2;
        }

        int blocks() {
            return (cout + MR - 1) / MR;
        }
    }

    /**
     * U = G g Gᵀ for every (filter, channel) pair, laid out [ξ][filter block][channel][MR] so the
     * product kernel reads the MR filters of a block at one channel together; filters past cout
     * are zero. With {@code swapped}, filter co of the result is input channel co of the weights
     * and vice versa, with the 3×3 kernel rotated by half a turn (the input gradient's filters).
     * Split over the threads by filter: serial, ResNet-20's 64 × 64 filters took about a tenth
     * of the call on two threads. The array comes from {@link CpuPool}; null, with the array
     * given back, when a weight is not finite.
     */
    private static float[] transformFilters(float[] w, int wo, int cout, int cin, boolean swapped) {
        int blocks = (cout + MR - 1) / MR;
        int step = blocks * cin * MR;
        float[] u = CpuPool.floats(16 * step);
        boolean[] finite = {true};
        Parallel.forRange(blocks * MR, Math.max(1, 4096 / (16 * cin)), (from, to) -> {
            float[] g = new float[9];
            float[] t = new float[12];
            for (int co = from; co < to; co++) {
                for (int ci = 0; ci < cin; ci++) {
                    for (int k = 0; k < 9; k++) {
                        float v = co >= cout ? 0f : swapped ? w[wo + (ci * cout + co) * 9 + 8 - k] : w[wo + (co * cin + ci) * 9 + k];
                        if (!Float.isFinite(v)) {
                            finite[0] = false;
                        }
                        g[k] = v;
                    }
                    for (int j = 0; j < 3; j++) {
                        t[j] = g[j];
                        t[3 + j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
                        t[6 + j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
                        t[9 + j] = g[6 + j];
                    }
                    int at = ((co / MR) * cin + ci) * MR + co % MR;
                    for (int i = 0; i < 4; i++) {
                        float a = t[3 * i], b = t[3 * i + 1], c = t[3 * i + 2];
                        u[at + (4 * i) * step] = a;
                        u[at + (4 * i + 1) * step] = 0.5f * (a + b + c);
                        u[at + (4 * i + 2) * step] = 0.5f * (a - b + c);
                        u[at + (4 * i + 3) * step] = c;
                    }
                }
            }
        });
        if (!finite[0]) {
            CpuPool.give(u);
            return null;
        }
        return u;
    }

    private static boolean convolve(Plan g, float[] x, int xo, float[] u, float[] bias, float[] out, int oo) {
        int tiles = g.tiles();
        int th = g.th(), tw = g.tw(), oh = g.oh(), ow = g.ow(), wp = g.wp();
        // Where each tile's window starts in a padded plane, and where its four outputs go in an
        // output plane, with masks for the outputs past the plane's edge (odd sizes) and the lanes
        // past the last tile.
        int[] window = new int[tiles];
        int[][] target = new int[4][tiles];
        boolean[][] inside = new boolean[4][tiles];
        for (int t = 0; t < th * tw; t++) {
            int ty = t / tw, tx = t % tw;
            window[t] = 2 * ty * wp + 2 * tx;
            for (int q = 0; q < 4; q++) {
                int y = 2 * ty + q / 2, xx = 2 * tx + q % 2;
                inside[q][t] = y < oh && xx < ow;
                target[q][t] = inside[q][t] ? y * ow + xx : 0;
            }
        }
        int[] channels = new int[g.cin()];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = c * tiles;
        }
        boolean[] finite = {true};
        // Rows of whole half vectors of tiles (16×16 and 32×32 planes) skip the gathers and scatters.
        boolean byRows = tw % H == 0;
        Parallel.forChunks(g.n(), b -> {
            float[] xp = INPUT.get(g.cin() * g.hp() * wp);
            float[] v = TRANSFORMED.get(16 * g.cin() * tiles);
            float[] m = PRODUCTS.get(16 * g.blocks() * MR * tiles);
            // Padded out to the last tiles' windows: 2·th + 2 rows of 2·tw + 2.
            ImplicitConv.padPlanes(x, xo + b * g.cin() * g.h() * g.w(), g.cin(), g.h(), g.w(), xp, 0, g.hp() * wp, wp, g.ph(), g.pw(),
                    g.cin() * g.hp() * wp);
            if (!(byRows ? transformInputRows(xp, g, v) : transformInput(xp, g, window, v))) {
                finite[0] = false;
                return;
            }
            for (int xi = 0; xi < 16; xi++) {
                multiply(u, xi, g, channels, v, m);
            }
            if (byRows && oh == 2 * th && ow == 2 * tw) {
                transformOutputRows(m, g, bias, out, oo + b * g.cout() * oh * ow);
            } else {
                transformOutput(m, g, target, inside, bias, out, oo + b * g.cout() * oh * ow);
            }
        });
        return finite[0];
    }

    /**
     * V = Bᵀ d B for every tile and channel, into v laid out [ξ][channel][tile]; false when a
     * transformed value is not finite (an infinity would meet another as ∞ − ∞ where direct
     * convolution keeps it).
     */
    private static boolean transformInput(float[] xp, Plan g, int[] window, float[] v) {
        int tiles = g.tiles(), plane = g.hp() * g.wp(), wp = g.wp(), cin = g.cin();
        int step = cin * tiles;
        FloatVector check = FloatVector.zero(S);
        for (int c = 0; c < cin; c++) {
            int base = c * plane;
            for (int t = 0; t < tiles; t += L) {
                FloatVector d00 = FloatVector.fromArray(S, xp, base, window, t);
                FloatVector d01 = FloatVector.fromArray(S, xp, base + 1, window, t);
                FloatVector d02 = FloatVector.fromArray(S, xp, base + 2, window, t);
                FloatVector d03 = FloatVector.fromArray(S, xp, base + 3, window, t);
                FloatVector d10 = FloatVector.fromArray(S, xp, base + wp, window, t);
                FloatVector d11 = FloatVector.fromArray(S, xp, base + wp + 1, window, t);
                FloatVector d12 = FloatVector.fromArray(S, xp, base + wp + 2, window, t);
                FloatVector d13 = FloatVector.fromArray(S, xp, base + wp + 3, window, t);
                FloatVector d20 = FloatVector.fromArray(S, xp, base + 2 * wp, window, t);
                FloatVector d21 = FloatVector.fromArray(S, xp, base + 2 * wp + 1, window, t);
                FloatVector d22 = FloatVector.fromArray(S, xp, base + 2 * wp + 2, window, t);
                FloatVector d23 = FloatVector.fromArray(S, xp, base + 2 * wp + 3, window, t);
                FloatVector d30 = FloatVector.fromArray(S, xp, base + 3 * wp, window, t);
                FloatVector d31 = FloatVector.fromArray(S, xp, base + 3 * wp + 1, window, t);
                FloatVector d32 = FloatVector.fromArray(S, xp, base + 3 * wp + 2, window, t);
                FloatVector d33 = FloatVector.fromArray(S, xp, base + 3 * wp + 3, window, t);
                // Bᵀ d: rows 0 − 2, 1 + 2, 2 − 1, 1 − 3.
                FloatVector a00 = d00.sub(d20), a01 = d01.sub(d21), a02 = d02.sub(d22), a03 = d03.sub(d23);
                FloatVector a10 = d10.add(d20), a11 = d11.add(d21), a12 = d12.add(d22), a13 = d13.add(d23);
                FloatVector a20 = d20.sub(d10), a21 = d21.sub(d11), a22 = d22.sub(d12), a23 = d23.sub(d13);
                FloatVector a30 = d10.sub(d30), a31 = d11.sub(d31), a32 = d12.sub(d32), a33 = d13.sub(d33);
                // (Bᵀ d) B: the same on the columns.
                int o = c * tiles + t;
                FloatVector r;
                r = a00.sub(a02); r.intoArray(v, o); check = check.add(r.sub(r));
                r = a01.add(a02); r.intoArray(v, o + step); check = check.add(r.sub(r));
                r = a02.sub(a01); r.intoArray(v, o + 2 * step); check = check.add(r.sub(r));
                r = a01.sub(a03); r.intoArray(v, o + 3 * step); check = check.add(r.sub(r));
                r = a10.sub(a12); r.intoArray(v, o + 4 * step); check = check.add(r.sub(r));
                r = a11.add(a12); r.intoArray(v, o + 5 * step); check = check.add(r.sub(r));
                r = a12.sub(a11); r.intoArray(v, o + 6 * step); check = check.add(r.sub(r));
                r = a11.sub(a13); r.intoArray(v, o + 7 * step); check = check.add(r.sub(r));
                r = a20.sub(a22); r.intoArray(v, o + 8 * step); check = check.add(r.sub(r));
                r = a21.add(a22); r.intoArray(v, o + 9 * step); check = check.add(r.sub(r));
                r = a22.sub(a21); r.intoArray(v, o + 10 * step); check = check.add(r.sub(r));
                r = a21.sub(a23); r.intoArray(v, o + 11 * step); check = check.add(r.sub(r));
                r = a30.sub(a32); r.intoArray(v, o + 12 * step); check = check.add(r.sub(r));
                r = a31.add(a32); r.intoArray(v, o + 13 * step); check = check.add(r.sub(r));
                r = a32.sub(a31); r.intoArray(v, o + 14 * step); check = check.add(r.sub(r));
                r = a31.sub(a33); r.intoArray(v, o + 15 * step); check = check.add(r.sub(r));
            }
        }
        // r − r is 0 for every finite r and NaN otherwise.
        return !check.test(VectorOperators.IS_NAN).anyTrue();
    }

    /**
     * As {@link #transformInput} where a tile row is whole half vectors of tiles: the windows of H
     * adjacent tiles are the 2H + 2 columns of four rows, and a full vector loaded at a window
     * row's column 0 (or 2), read as 64-bit lanes, holds column 0 (2) of each window in its low
     * halves and column 1 (3) in its high halves. Narrowing the lanes to 32 bits separates them,
     * as the max-pool kernel does; gathering the 16 values of each window took three times as
     * long.
     */
    private static boolean transformInputRows(float[] xp, Plan g, float[] v) {
        int tiles = g.tiles(), plane = g.hp() * g.wp(), wp = g.wp(), cin = g.cin(), th = g.th(), tw = g.tw();
        int step = cin * tiles;
        FloatVector check = FloatVector.zero(FH);
        for (int c = 0; c < cin; c++) {
            for (int ty = 0; ty < th; ty++) {
                for (int tx = 0; tx < tw; tx += H) {
                    int r = c * plane + 2 * ty * wp + 2 * tx;
                    LongVector p0 = FloatVector.fromArray(S, xp, r).reinterpretAsLongs();
                    LongVector q0 = FloatVector.fromArray(S, xp, r + 2).reinterpretAsLongs();
                    LongVector p1 = FloatVector.fromArray(S, xp, r + wp).reinterpretAsLongs();
                    LongVector q1 = FloatVector.fromArray(S, xp, r + wp + 2).reinterpretAsLongs();
                    LongVector p2 = FloatVector.fromArray(S, xp, r + 2 * wp).reinterpretAsLongs();
                    LongVector q2 = FloatVector.fromArray(S, xp, r + 2 * wp + 2).reinterpretAsLongs();
                    LongVector p3 = FloatVector.fromArray(S, xp, r + 3 * wp).reinterpretAsLongs();
                    LongVector q3 = FloatVector.fromArray(S, xp, r + 3 * wp + 2).reinterpretAsLongs();
                    FloatVector d00 = ((IntVector) p0.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d01 = ((IntVector) p0.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d02 = ((IntVector) q0.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d03 = ((IntVector) q0.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d10 = ((IntVector) p1.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d11 = ((IntVector) p1.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d12 = ((IntVector) q1.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d13 = ((IntVector) q1.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d20 = ((IntVector) p2.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d21 = ((IntVector) p2.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d22 = ((IntVector) q2.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d23 = ((IntVector) q2.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d30 = ((IntVector) p3.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d31 = ((IntVector) p3.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d32 = ((IntVector) q3.convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector d33 = ((IntVector) q3.lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IH, 0)).reinterpretAsFloats();
                    FloatVector a00 = d00.sub(d20), a01 = d01.sub(d21), a02 = d02.sub(d22), a03 = d03.sub(d23);
                    FloatVector a10 = d10.add(d20), a11 = d11.add(d21), a12 = d12.add(d22), a13 = d13.add(d23);
                    FloatVector a20 = d20.sub(d10), a21 = d21.sub(d11), a22 = d22.sub(d12), a23 = d23.sub(d13);
                    FloatVector a30 = d10.sub(d30), a31 = d11.sub(d31), a32 = d12.sub(d32), a33 = d13.sub(d33);
                    int o = c * tiles + ty * tw + tx;
                    FloatVector e;
                    e = a00.sub(a02); e.intoArray(v, o); check = check.add(e.sub(e));
                    e = a01.add(a02); e.intoArray(v, o + step); check = check.add(e.sub(e));
                    e = a02.sub(a01); e.intoArray(v, o + 2 * step); check = check.add(e.sub(e));
                    e = a01.sub(a03); e.intoArray(v, o + 3 * step); check = check.add(e.sub(e));
                    e = a10.sub(a12); e.intoArray(v, o + 4 * step); check = check.add(e.sub(e));
                    e = a11.add(a12); e.intoArray(v, o + 5 * step); check = check.add(e.sub(e));
                    e = a12.sub(a11); e.intoArray(v, o + 6 * step); check = check.add(e.sub(e));
                    e = a11.sub(a13); e.intoArray(v, o + 7 * step); check = check.add(e.sub(e));
                    e = a20.sub(a22); e.intoArray(v, o + 8 * step); check = check.add(e.sub(e));
                    e = a21.add(a22); e.intoArray(v, o + 9 * step); check = check.add(e.sub(e));
                    e = a22.sub(a21); e.intoArray(v, o + 10 * step); check = check.add(e.sub(e));
                    e = a21.sub(a23); e.intoArray(v, o + 11 * step); check = check.add(e.sub(e));
                    e = a30.sub(a32); e.intoArray(v, o + 12 * step); check = check.add(e.sub(e));
                    e = a31.add(a32); e.intoArray(v, o + 13 * step); check = check.add(e.sub(e));
                    e = a32.sub(a31); e.intoArray(v, o + 14 * step); check = check.add(e.sub(e));
                    e = a31.sub(a33); e.intoArray(v, o + 15 * step); check = check.add(e.sub(e));
                }
            }
        }
        return !check.test(VectorOperators.IS_NAN).anyTrue();
    }

    /**
     * M_ξ = U_ξ · V_ξ: every filter block against every vector of tiles, on the implicit GEMM's
     * tile with {@code channels[k]} (k times the tile count) as the offset of channel k's tiles.
     */
    private static void multiply(float[] u, int xi, Plan g, int[] channels, float[] v, float[] m) {
        int tiles = g.tiles(), cin = g.cin(), blocks = g.blocks();
        int vAt = xi * cin * tiles;
        for (int blk = 0; blk < blocks; blk++) {
            int uAt = (xi * blocks + blk) * cin * MR;
            int mAt = (xi * blocks + blk) * MR * tiles;
            int t = 0;
            for (; t + 2 * L <= tiles; t += 2 * L) {
                ImplicitConv.tile(u, uAt, channels, cin, v, vAt + t, m, mAt + t, tiles);
            }
            if (t < tiles) {
                ImplicitConv.tailTile(u, uAt, channels, cin, v, vAt + t, m, mAt + t, tiles);
            }
        }
    }

    /** Y = Aᵀ M A for every tile of every filter, plus bias, scattered to the sample's output planes at {@code at}. */
    private static void transformOutput(float[] m, Plan g, int[][] target, boolean[][] inside, float[] bias, float[] out, int at) {
        int tiles = g.tiles(), blocks = g.blocks(), plane = g.oh() * g.ow();
        int step = blocks * MR * tiles;
        for (int co = 0; co < g.cout(); co++) {
            FloatVector add = FloatVector.broadcast(S, bias == null ? 0f : bias[co]);
            int dst = at + co * plane;
            for (int t = 0; t < tiles; t += L) {
                int o = co * tiles + t;
                FloatVector m00 = FloatVector.fromArray(S, m, o);
                FloatVector m01 = FloatVector.fromArray(S, m, o + step);
                FloatVector m02 = FloatVector.fromArray(S, m, o + 2 * step);
                FloatVector m03 = FloatVector.fromArray(S, m, o + 3 * step);
                FloatVector m10 = FloatVector.fromArray(S, m, o + 4 * step);
                FloatVector m11 = FloatVector.fromArray(S, m, o + 5 * step);
                FloatVector m12 = FloatVector.fromArray(S, m, o + 6 * step);
                FloatVector m13 = FloatVector.fromArray(S, m, o + 7 * step);
                FloatVector m20 = FloatVector.fromArray(S, m, o + 8 * step);
                FloatVector m21 = FloatVector.fromArray(S, m, o + 9 * step);
                FloatVector m22 = FloatVector.fromArray(S, m, o + 10 * step);
                FloatVector m23 = FloatVector.fromArray(S, m, o + 11 * step);
                FloatVector m30 = FloatVector.fromArray(S, m, o + 12 * step);
                FloatVector m31 = FloatVector.fromArray(S, m, o + 13 * step);
                FloatVector m32 = FloatVector.fromArray(S, m, o + 14 * step);
                FloatVector m33 = FloatVector.fromArray(S, m, o + 15 * step);
                // Aᵀ M: rows 0 + 1 + 2 and 1 − 2 − 3.
                FloatVector s00 = m00.add(m10).add(m20), s01 = m01.add(m11).add(m21);
                FloatVector s02 = m02.add(m12).add(m22), s03 = m03.add(m13).add(m23);
                FloatVector s10 = m10.sub(m20).sub(m30), s11 = m11.sub(m21).sub(m31);
                FloatVector s12 = m12.sub(m22).sub(m32), s13 = m13.sub(m23).sub(m33);
                FloatVector y00 = s00.add(s01).add(s02).add(add);
                FloatVector y01 = s01.sub(s02).sub(s03).add(add);
                FloatVector y10 = s10.add(s11).add(s12).add(add);
                FloatVector y11 = s11.sub(s12).sub(s13).add(add);
                y00.intoArray(out, dst, target[0], t, VectorMask.fromArray(S, inside[0], t));
                y01.intoArray(out, dst, target[1], t, VectorMask.fromArray(S, inside[1], t));
                y10.intoArray(out, dst, target[2], t, VectorMask.fromArray(S, inside[2], t));
                y11.intoArray(out, dst, target[3], t, VectorMask.fromArray(S, inside[3], t));
            }
        }
    }

    /**
     * As {@link #transformOutput} for even planes whose tile rows are whole half vectors: each
     * output row pair comes out as two full vectors, the tiles' left and right outputs
     * interleaved by widening them to 64-bit lanes (left in the low half, right in the high).
     */
    private static void transformOutputRows(float[] m, Plan g, float[] bias, float[] out, int at) {
        int tiles = g.tiles(), blocks = g.blocks(), ow = g.ow(), tw = g.tw(), count = g.th() * tw;
        int plane = g.oh() * ow;
        int step = blocks * MR * tiles;
        for (int co = 0; co < g.cout(); co++) {
            FloatVector add = FloatVector.broadcast(FH, bias == null ? 0f : bias[co]);
            int dst = at + co * plane;
            for (int t = 0; t < count; t += H) {
                int o = co * tiles + t;
                FloatVector m00 = FloatVector.fromArray(FH, m, o);
                FloatVector m01 = FloatVector.fromArray(FH, m, o + step);
                FloatVector m02 = FloatVector.fromArray(FH, m, o + 2 * step);
                FloatVector m03 = FloatVector.fromArray(FH, m, o + 3 * step);
                FloatVector m10 = FloatVector.fromArray(FH, m, o + 4 * step);
                FloatVector m11 = FloatVector.fromArray(FH, m, o + 5 * step);
                FloatVector m12 = FloatVector.fromArray(FH, m, o + 6 * step);
                FloatVector m13 = FloatVector.fromArray(FH, m, o + 7 * step);
                FloatVector m20 = FloatVector.fromArray(FH, m, o + 8 * step);
                FloatVector m21 = FloatVector.fromArray(FH, m, o + 9 * step);
                FloatVector m22 = FloatVector.fromArray(FH, m, o + 10 * step);
                FloatVector m23 = FloatVector.fromArray(FH, m, o + 11 * step);
                FloatVector m30 = FloatVector.fromArray(FH, m, o + 12 * step);
                FloatVector m31 = FloatVector.fromArray(FH, m, o + 13 * step);
                FloatVector m32 = FloatVector.fromArray(FH, m, o + 14 * step);
                FloatVector m33 = FloatVector.fromArray(FH, m, o + 15 * step);
                FloatVector s00 = m00.add(m10).add(m20), s01 = m01.add(m11).add(m21);
                FloatVector s02 = m02.add(m12).add(m22), s03 = m03.add(m13).add(m23);
                FloatVector s10 = m10.sub(m20).sub(m30), s11 = m11.sub(m21).sub(m31);
                FloatVector s12 = m12.sub(m22).sub(m32), s13 = m13.sub(m23).sub(m33);
                LongVector y00 = (LongVector) s00.add(s01).add(s02).add(add).reinterpretAsInts().convertShape(VectorOperators.I2L, LS, 0);
                LongVector y01 = (LongVector) s01.sub(s02).sub(s03).add(add).reinterpretAsInts().convertShape(VectorOperators.I2L, LS, 0);
                LongVector y10 = (LongVector) s10.add(s11).add(s12).add(add).reinterpretAsInts().convertShape(VectorOperators.I2L, LS, 0);
                LongVector y11 = (LongVector) s11.sub(s12).sub(s13).add(add).reinterpretAsInts().convertShape(VectorOperators.I2L, LS, 0);
                int ty = t / tw, tx = t % tw;
                int row = dst + 2 * ty * ow + 2 * tx;
                y00.and(0xFFFFFFFFL).or(y01.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, row);
                y10.and(0xFFFFFFFFL).or(y11.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, row + ow);
            }
        }
    }
}
