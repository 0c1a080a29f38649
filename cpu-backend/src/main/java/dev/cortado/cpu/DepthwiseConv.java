package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (groups = in = out channels, MobileNet's and EfficientNet's k×k layers)
 * computed directly, one (sample, channel) plane per task: each tap adds the weight times a
 * shifted input row to an output row. Through im2col each group would be a one-row matrix
 * product over a k²-row column matrix: building the columns cost more than the products.
 * Where the stride is 1 the rows are contiguous and the adds are vectors.
 */
final class DepthwiseConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseConv() {
    }

    /** One output channel per input channel, each from its own input channel. */
    static boolean applies(int inChannels, int outChannels, Conv2dParams p) {
        return p.groups() > 1 && p.groups() == inChannels && outChannels == inChannels;
    }

    /** The first output position whose tap at offset {@code shift} (= j·dw − pw) lands at or after 0. */
    private static int firstOut(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** One past the last output position whose tap at {@code shift} lands before {@code size}, at most {@code outSize}. */
    private static int endOut(int shift, int stride, int size, int outSize) {
        int last = Math.floorDiv(size - 1 - shift, stride);
        return Math.max(0, Math.min(outSize, last + 1));
    }

    static void forward(Tensor out, Tensor x, Tensor weight, Conv2dParams p) {
        tapRows(out, x, weight, p, false);
    }

    /** gradInput: each output gradient times the tap's weight, added where the tap read its input. */
    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        tapRows(gradInput, gradOut, weight, p, true);
    }

    /**
     * For each (sample, channel) plane of dst, zeroed first, each tap and each output row: the
     * forward pass adds the weight times the input row the tap reads into the output row; the
     * input gradient adds the weight times the output-gradient row back into that input row.
     */
    private static void tapRows(Tensor dst, Tensor src, Tensor weight, Conv2dParams p, boolean inputGradient) {
        Tensor input = inputGradient ? dst : src;
        Tensor output = inputGradient ? src : dst;
        int c = input.size(1), h = input.size(2), w = input.size(3), oh = output.size(2), ow = output.size(3);
        int kh = p.kernelH(), kw = p.kernelW();
        float[] dd = Elementwise.f(dst);
        float[] sd = Elementwise.f(src);
        float[] wd = Elementwise.f(weight);
        int dOff = dst.offset(), sOff = src.offset(), wo = weight.offset();
        int dPlane = inputGradient ? h * w : oh * ow;
        int sPlane = inputGradient ? oh * ow : h * w;
        boolean[][] columns = flat(p, w, ow) ? columnMasks(p, w, oh * ow) : null;
        int[][] rows = rowsInside(p, h, oh);
        Parallel.forRange(input.size(0) * c, Math.max(1, 8192 / Math.max(1, oh * ow)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int ch = pl % c;
                int d = dOff + pl * dPlane;
                int s = sOff + pl * sPlane;
                java.util.Arrays.fill(dd, d, d + dPlane, 0f);
                if (columns != null) {
                    flatTaps(dd, d, sd, s, wd, wo + ch * kh * kw, p, w, rows, columns, inputGradient);
                    continue;
                }
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        float wv = wd[wo + (ch * kh + i) * kw + j];
                        int shiftX = j * p.dilationW() - p.padW();
                        int x0 = firstOut(shiftX, p.strideW());
                        int x1 = endOut(shiftX, p.strideW(), w, ow);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * p.strideH() - p.padH() + i * p.dilationH();
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            if (inputGradient) {
                                scatter(dd, d + iy * w + shiftX, p.strideW(), sd, s + oy * ow, x0, x1, wv);
                            } else {
                                axpy(dd, d + oy * ow, sd, s + iy * w + shiftX, p.strideW(), x0, x1, wv);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Whether a plane is worked as one flat row: stride 1 and output rows as wide as input rows
     * ("same" padding), so that a tap shifts the whole plane by one offset; chosen where rows are
     * narrower than two vectors (MobileNet's 14- and 7-wide planes), which the row loop runs
     * almost all scalar.
     */
    private static boolean flat(Conv2dParams p, int w, int ow) {
        return p.strideH() == 1 && p.strideW() == 1 && ow == w && w < 2 * L;
    }

    /** For each tap column j, whether output position q (column q mod w) reads inside its row; L false entries past the plane. */
    private static boolean[][] columnMasks(Conv2dParams p, int w, int planeSize) {
        boolean[][] masks = new boolean[p.kernelW()][planeSize + L];
        for (int j = 0; j < p.kernelW(); j++) {
            int shift = j * p.dilationW() - p.padW();
            for (int q = 0; q < planeSize; q++) {
                int col = q % w + shift;
                masks[j][q] = col >= 0 && col < w;
            }
        }
        return masks;
    }

    /** For each tap row i, the output rows [first, end) whose tap lands inside the input, as {first, end}; worked out once per call. */
    private static int[][] rowsInside(Conv2dParams p, int h, int oh) {
        int[][] rows = new int[p.kernelH()][];
        for (int i = 0; i < rows.length; i++) {
            int shift = i * p.dilationH() - p.padH();
            rows[i] = new int[] {Math.max(0, -shift), Math.min(oh, h - shift)};
        }
        return rows;
    }

    /**
     * One plane of {@link #tapRows} in flat form: per tap, the forward pass adds weight × input[q +
     * offset] to output[q], the input gradient adds weight × gradOut[q] to gradInput[q + offset],
     * over the rows inside, masked to the columns inside (masked lanes are neither read nor written).
     */
    private static void flatTaps(float[] dd, int d, float[] sd, int s, float[] wd, int wBase, Conv2dParams p, int w, int[][] rowsInside,
                                 boolean[][] columns, boolean inputGradient) {
        for (int i = 0; i < p.kernelH(); i++) {
            int[] rows = rowsInside[i];
            int rowShift = (i * p.dilationH() - p.padH()) * w;
            for (int j = 0; j < p.kernelW(); j++) {
                int off = rowShift + j * p.dilationW() - p.padW();
                FloatVector av = FloatVector.broadcast(S, wd[wBase + i * p.kernelW() + j]);
                int end = rows[1] * w;
                for (int q = rows[0] * w; q < end; q += L) {
                    VectorMask<Float> inRange = S.indexInRange(q, end);
                    VectorMask<Float> m = VectorMask.fromArray(S, columns[j], q).and(inRange);
                    if (inputGradient) {
                        FloatVector g = FloatVector.fromArray(S, sd, s + q, m);
                        g.fma(av, FloatVector.fromArray(S, dd, d + q + off, m)).intoArray(dd, d + q + off, m);
                    } else {
                        FloatVector x = FloatVector.fromArray(S, sd, s + q + off, m);
                        x.fma(av, FloatVector.fromArray(S, dd, d + q, m)).intoArray(dd, d + q, m);
                    }
                }
            }
        }
    }

    /** o[k] += a · x[k·stride] for k in [from, to): a row of outputs from a row of inputs. */
    private static void axpy(float[] o, int po, float[] x, int px, int stride, int from, int to, float a) {
        int k = from;
        if (stride == 1) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; k <= to - L; k += L) {
                FloatVector.fromArray(S, x, px + k).fma(av, FloatVector.fromArray(S, o, po + k)).intoArray(o, po + k);
            }
        }
        for (; k < to; k++) {
            o[po + k] = Math.fma(x[px + k * stride], a, o[po + k]);
        }
    }

    /** gi[k·stride] += a · g[k] for k in [from, to). */
    private static void scatter(float[] gi, int pi, int stride, float[] g, int pg, int from, int to, float a) {
        int k = from;
        if (stride == 1) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; k <= to - L; k += L) {
                FloatVector.fromArray(S, g, pg + k).fma(av, FloatVector.fromArray(S, gi, pi + k)).intoArray(gi, pi + k);
            }
        }
        for (; k < to; k++) {
            gi[pi + k * stride] = Math.fma(g[pg + k], a, gi[pi + k * stride]);
        }
    }

    /** gradWeight: for each channel and tap, the sum over samples and positions of output gradient times the input the tap read. */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), oh = gradOut.size(2), ow = gradOut.size(3);
        int kh = p.kernelH(), kw = p.kernelW();
        float[] xd = Elementwise.f(x);
        float[] go = Elementwise.f(gradOut);
        float[] gw = Elementwise.f(gradWeight);
        int xo = x.offset(), goo = gradOut.offset(), gwo = gradWeight.offset();
        boolean[][] columns = flat(p, w, ow) ? columnMasks(p, w, oh * ow) : null;
        int[][] rows = rowsInside(p, h, oh);
        Parallel.forRange(c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                if (columns != null) {
                    flatWeightGradient(gw, gwo + ch * kh * kw, go, goo, xd, xo, n, c, ch, p, h, w, oh, rows, columns);
                    continue;
                }
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int shiftX = j * p.dilationW() - p.padW();
                        int x0 = firstOut(shiftX, p.strideW());
                        int x1 = endOut(shiftX, p.strideW(), w, ow);
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            int pl = b * c + ch;
                            float part = 0f;
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * p.strideH() - p.padH() + i * p.dilationH();
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                part += dot(go, goo + pl * oh * ow + oy * ow, xd, xo + pl * h * w + iy * w + shiftX, p.strideW(), x0, x1);
                            }
                            sum += part;
                        }
                        gw[gwo + (ch * kh + i) * kw + j] = (float) sum;
                    }
                }
            }
        });
    }

    /** One channel's weight gradient in flat form: per tap, Σ over samples and the positions inside of gradOut[q] · x[q + offset]. */
    private static void flatWeightGradient(float[] gw, int gwBase, float[] go, int goo, float[] xd, int xo, int n, int c, int ch,
                                           Conv2dParams p, int h, int w, int oh, int[][] rowsInside, boolean[][] columns) {
        int plane = oh * w;
        for (int i = 0; i < p.kernelH(); i++) {
            int[] rows = rowsInside[i];
            int rowShift = (i * p.dilationH() - p.padH()) * w;
            for (int j = 0; j < p.kernelW(); j++) {
                int off = rowShift + j * p.dilationW() - p.padW();
                int end = rows[1] * w;
                double sum = 0;
                for (int b = 0; b < n; b++) {
                    int gp = goo + (b * c + ch) * plane;
                    int xp = xo + (b * c + ch) * h * w;
                    FloatVector acc = FloatVector.zero(S);
                    for (int q = rows[0] * w; q < end; q += L) {
                        VectorMask<Float> m = VectorMask.fromArray(S, columns[j], q).and(S.indexInRange(q, end));
                        acc = FloatVector.fromArray(S, go, gp + q, m).fma(FloatVector.fromArray(S, xd, xp + q + off, m), acc);
                    }
                    sum += acc.reduceLanes(VectorOperators.ADD);
                }
                gw[gwBase + i * p.kernelW() + j] = (float) sum;
            }
        }
    }

    /** Σ g[k] · x[k·stride] for k in [from, to). */
    private static float dot(float[] g, int pg, float[] x, int px, int stride, int from, int to) {
        int k = from;
        float s = 0f;
        if (stride == 1 && to - from >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (; k <= to - L; k += L) {
                acc = FloatVector.fromArray(S, g, pg + k).fma(FloatVector.fromArray(S, x, px + k), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; k < to; k++) {
            s = Math.fma(g[pg + k], x[px + k * stride], s);
        }
        return s;
    }
}
