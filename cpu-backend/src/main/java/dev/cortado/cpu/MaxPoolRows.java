package dev.cortado.cpu;

import dev.cortado.backend.Pool2dParams;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling of any window, stride, padding and dilation, with a row of outputs on the lanes.
 * A window's maximum is the maximum over its rows of each row's maximum, so every input row's
 * horizontal window maxima (and their columns) are taken once, then each output combines its
 * window's rows. Visiting rows in order and each row's columns in order, with "larger, or NaN"
 * replacing, picks the same element as the row-major scan PyTorch does: the first of tied maxima,
 * the last NaN. A scalar loop over the window with that comparison branched on every element
 * and mispredicted about as often; ResNet's 3×3, stride-2 stem pooling spent 50 ms a step in it.
 *
 * <p>An input row is split into its {@code stride} column phases, so that a window column
 * reads one contiguous run at any stride. Columns outside the row (padding) are masked out by
 * their column index, not by a value: an input of −∞ still wins an all-padding-so-far window, as
 * in PyTorch, and a window that reaches no pixel keeps −∞ and index −1.
 */
final class MaxPoolRows {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = FS.withLanes(int.class);
    private static final VectorSpecies<Long> LS = FS.withLanes(long.class);
    private static final Scratch SCRATCH = new Scratch();
    /**
     * Outputs a row from which the lanes pay: half a vector. Below it (SimpleCnn's global
     * pooling: one output per plane) the scalar scan was faster; the inductive-bias example's
     * max-pooling runs took 15–30 % longer through the rows.
     */
    static final int MIN_OUTPUT_WIDTH = FS.length() / 2;

    private MaxPoolRows() {
    }

    /** Pools planes [from, to) of x (h × w each) into od and the flat in-plane indices into id. */
    static void max(float[] xd, int xo, float[] od, int oo, long[] id, int io, int from, int to,
                    int h, int w, int oh, int ow, Pool2dParams p) {
        int lanes = FS.length();
        int sx = p.strideW();
        int rowLen = (ow + lanes - 1) / lanes * lanes;
        // Long enough for every window's reads and for every input column.
        int phaseLen = Math.max(rowLen + (p.kernelW() - 1) * p.dilationW() / sx + 1, (w + p.padW()) / sx + 1);
        float[] s = SCRATCH.get(sx * phaseLen + 2 * h * rowLen);
        int values = sx * phaseLen;
        int columns = values + h * rowLen;
        int taskEnd = to * oh * ow;
        for (int pl = from; pl < to; pl++) {
            int in = xo + pl * h * w;
            for (int r = 0; r < h; r++) {
                splitPhases(xd, in + r * w, w, p.padW(), sx, phaseLen, s);
                rowMaxima(s, phaseLen, w, p, rowLen, values + r * rowLen, columns + r * rowLen);
            }
            for (int y = 0; y < oh; y++) {
                windowMaxima(s, values, columns, rowLen, h, w, y, p, ow, od, oo, id, io, (pl * oh + y) * ow, taskEnd);
            }
        }
    }

    /** Padded column c (input column c − pad) goes to phase c mod stride, position c / stride. */
    private static void splitPhases(float[] xd, int row, int w, int pad, int stride, int phaseLen, float[] s) {
        if (stride == 1) {
            System.arraycopy(xd, row, s, pad, w);
            return;
        }
        for (int ph = 0; ph < stride; ph++) {
            int col = Math.floorMod(ph - pad, stride);
            int at = ph * phaseLen + (col + pad) / stride;
            for (; col < w; col += stride, at++) {
                s[at] = xd[row + col];
            }
        }
    }

    /** Each output column's maximum over its window's columns in one input row, and its column (−1: none inside). */
    private static void rowMaxima(float[] s, int phaseLen, int w, Pool2dParams p, int rowLen, int valuesAt, int columnsAt) {
        int sx = p.strideW(), dx = p.dilationW(), kw = p.kernelW();
        IntVector lane = IntVector.zero(IS).addIndex(sx);
        for (int xx = 0; xx < rowLen; xx += FS.length()) {
            FloatVector best = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
            IntVector bestCol = IntVector.broadcast(IS, -1);
            for (int j = 0; j < kw; j++) {
                int tap = j * dx;
                FloatVector v = FloatVector.fromArray(FS, s, (tap % sx) * phaseLen + tap / sx + xx);
                IntVector col = lane.add(xx * sx + tap - p.padW());
                VectorMask<Integer> inside = col.compare(VectorOperators.GE, 0).and(col.compare(VectorOperators.LT, w));
                VectorMask<Float> takes = inside.cast(FS).and(Pool2d.wins(v, best).or(bestCol.compare(VectorOperators.LT, 0).cast(FS)));
                best = best.blend(v, takes);
                bestCol = bestCol.blend(col, takes.cast(IS));
            }
            best.intoArray(s, valuesAt + xx);
            bestCol.reinterpretAsFloats().intoArray(s, columnsAt + xx);
        }
    }

    /**
     * Output row y: the row maxima of its window's rows inside the input, combined in row order.
     * Stores are whole vectors while they stay inside the task: lanes past the row land on the
     * next row's outputs, which are written again, correctly, after these.
     */
    private static void windowMaxima(float[] s, int values, int columns, int rowLen, int h, int w, int y, Pool2dParams p,
                                     int ow, float[] od, int oo, long[] id, int io, int outAt, int taskEnd) {
        int y0 = y * p.strideH() - p.padH();
        int half = LS.length();
        for (int xx = 0; xx < ow; xx += FS.length()) {
            FloatVector best = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
            IntVector bestAt = IntVector.broadcast(IS, -1);
            for (int i = 0; i < p.kernelH(); i++) {
                int iy = y0 + i * p.dilationH();
                if (iy < 0 || iy >= h) {
                    continue;
                }
                FloatVector v = FloatVector.fromArray(FS, s, values + iy * rowLen + xx);
                IntVector col = FloatVector.fromArray(FS, s, columns + iy * rowLen + xx).reinterpretAsInts();
                VectorMask<Integer> inside = col.compare(VectorOperators.GE, 0);
                VectorMask<Float> takes = inside.cast(FS).and(Pool2d.wins(v, best).or(bestAt.compare(VectorOperators.LT, 0).cast(FS)));
                best = best.blend(v, takes);
                bestAt = bestAt.blend(col.add(iy * w), takes.cast(IS));
            }
            int o = outAt + xx;
            LongVector low = (LongVector) bestAt.convertShape(VectorOperators.I2L, LS, 0);
            LongVector high = (LongVector) bestAt.convertShape(VectorOperators.I2L, LS, 1);
            if (o + FS.length() <= taskEnd) {
                best.intoArray(od, oo + o);
                low.intoArray(id, io + o);
                high.intoArray(id, io + o + half);
            } else {
                best.intoArray(od, oo + o, FS.indexInRange(o, taskEnd));
                low.intoArray(id, io + o, LS.indexInRange(o, taskEnd));
                high.intoArray(id, io + o + half, LS.indexInRange(o + half, taskEnd));
            }
        }
    }
}
