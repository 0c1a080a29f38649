package dev.cortado.cpu;

import dev.cortado.backend.ReduceOp;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.cortado.cpu.Elementwise.L;
import static dev.cortado.cpu.Elementwise.S;

/**
 * Reductions. x's dims are split into kept and reduced groups (each coalesced); then either each
 * output reduces one unit-stride row (vector lanes), or, when the reduced dims lie outside a
 * unit-stride kept dim, whole rows are accumulated elementwise (the bias-gradient case).
 */
final class Reduce {
    /** Partial sums are formed over blocks of this many elements and then added in double. */
    private static final int BLOCK = 1024;

    private Reduce() {
    }

    /** Dims of one group after coalescing: sizes and x's strides, outermost first. */
    private record Group(int[] size, int[] stride, int count) {
        static Group of(int[] shape, int[] strides, boolean[] pick, boolean want) {
            // The dims not picked become size 1, which the merge drops.
            int[] picked = shape.clone();
            int count = 1;
            for (int d = 0; d < shape.length; d++) {
                if (pick[d] == want) {
                    count *= shape[d];
                } else {
                    picked[d] = 1;
                }
            }
            int[] sz = new int[shape.length];
            int[] st = new int[shape.length];
            int r = Shapes.mergeDims(picked, strides, sz, st);
            return new Group(java.util.Arrays.copyOf(sz, r), java.util.Arrays.copyOf(st, r), count);
        }

        int offset(int flat) {
            int off = 0;
            for (int d = size.length - 1; d >= 0; d--) {
                off += (flat % size[d]) * stride[d];
                flat /= size[d];
            }
            return off;
        }

        /** One unit-stride row, or no dims at all (every reduced dim has size 1: a row of one). */
        boolean unitRow() {
            return size.length == 0 || size.length == 1 && stride[0] == 1;
        }
    }

    static void reduce(ReduceOp op, Tensor out, Tensor x, int[] dims) {
        int[] shape = x.shape();
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        Group kept = Group.of(shape, x.strides(), reduced, false);
        Group red = Group.of(shape, x.strides(), reduced, true);
        int outs = kept.count;
        int n = red.count;
        int base = x.offset();
        if (x.dtype() == DType.INT64) {
            long[] in = Elementwise.l(x);
            long[] o = Elementwise.l(out);
            Parallel.forRange(outs, Math.max(1, 4096 / Math.max(n, 1)), (s, e) -> {
                for (int k = s; k < e; k++) {
                    int ko = base + kept.offset(k);
                    long acc = op == ReduceOp.SUM ? 0 : in[ko + red.offset(0)];
                    for (int j = 0; j < n; j++) {
                        long v = in[ko + red.offset(j)];
                        acc = switch (op) {
                            case SUM, MEAN -> acc + v;
                            case MAX -> Math.max(acc, v);
                            case MIN -> Math.min(acc, v);
                        };
                    }
                    o[k] = acc;
                }
            });
            return;
        }
        float[] in = Elementwise.f(x);
        float[] o = Elementwise.f(out);
        if (n == 0) {
            java.util.Arrays.fill(o, 0, outs, op == ReduceOp.MEAN ? Float.NaN : 0f);
            return;
        }
        int lastKept = kept.size.length - 1;
        if (red.unitRow() || lastKept < 0 || kept.stride[lastKept] != 1) {
            Parallel.forRange(outs, Math.max(1, 16384 / n), (s, e) -> {
                for (int k = s; k < e; k++) {
                    int ko = base + kept.offset(k);
                    float r = red.unitRow() ? row(op, in, ko, n) : strided(op, in, ko, red, n);
                    o[k] = op == ReduceOp.MEAN ? (float) ((double) r / n) : r;
                }
            });
            return;
        }
        // Reduced dims are outside a unit-stride kept dim: accumulate whole kept rows.
        int rowLen = kept.size[lastKept];
        int rows = outs / rowLen;
        Group outer = new Group(java.util.Arrays.copyOf(kept.size, lastKept), java.util.Arrays.copyOf(kept.stride, lastKept), rows);
        int chunk = Math.max(L, 256);
        int pieces = (rowLen + chunk - 1) / chunk;
        Parallel.forRange(rows * pieces, Math.max(1, 16384 / Math.max(n * chunk, 1)), (s, e) -> {
            for (int t = s; t < e; t++) {
                int rIdx = t / pieces;
                int c0 = (t % pieces) * chunk;
                int len = Math.min(chunk, rowLen - c0);
                int ro = base + outer.offset(rIdx) + c0;
                int oo = rIdx * rowLen + c0;
                System.arraycopy(in, ro + red.offset(0), o, oo, len);
                for (int j = 1; j < n; j++) {
                    accumulate(op, o, oo, in, ro + red.offset(j), len);
                }
                if (op == ReduceOp.MEAN) {
                    for (int i = 0; i < len; i++) {
                        o[oo + i] = (float) ((double) o[oo + i] / n);
                    }
                }
            }
        });
    }

    private static void accumulate(ReduceOp op, float[] o, int oo, float[] x, int xo, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector a = FloatVector.fromArray(S, o, oo + i);
            FloatVector b = FloatVector.fromArray(S, x, xo + i);
            (switch (op) {
                case SUM, MEAN -> a.add(b);
                case MAX -> a.max(b);
                case MIN -> a.min(b);
            }).intoArray(o, oo + i);
        }
        for (; i < len; i++) {
            o[oo + i] = combine(op, o[oo + i], x[xo + i]);
        }
    }

    private static float combine(ReduceOp op, float a, float b) {
        return switch (op) {
            case SUM, MEAN -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** Reduction of a unit-stride row: vector lanes within blocks, blocks combined in double. */
    static float row(ReduceOp op, float[] x, int p, int n) {
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            boolean max = op == ReduceOp.MAX;
            float acc = x[p];
            int i = 0;
            if (n >= L) {
                FloatVector v = FloatVector.fromArray(S, x, p);
                for (i = L; i <= n - L; i += L) {
                    FloatVector w = FloatVector.fromArray(S, x, p + i);
                    v = max ? v.max(w) : v.min(w);
                }
                acc = v.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
            }
            for (; i < n; i++) {
                acc = max ? Math.max(acc, x[p + i]) : Math.min(acc, x[p + i]);
            }
            return acc;
        }
        double total = 0;
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            FloatVector v = FloatVector.zero(S);
            int i = b;
            for (; i <= end - L; i += L) {
                v = v.add(FloatVector.fromArray(S, x, p + i));
            }
            float s = Lanes.sum(v);
            for (; i < end; i++) {
                s += x[p + i];
            }
            total += s;
        }
        return (float) total;
    }

    private static float strided(ReduceOp op, float[] x, int base, Group red, int n) {
        int last = red.size.length - 1;
        if (red.stride[last] == 1) {
            // The innermost reduced dim is a unit-stride row (the (N, H·W) of a per-channel
            // reduction): reduce row by row with vector lanes.
            int len = red.size[last];
            boolean sum = op == ReduceOp.SUM || op == ReduceOp.MEAN;
            double total = 0;
            float acc = 0;
            for (int j = 0; j < n; j += len) {
                float r = row(op, x, base + red.offset(j), len);
                if (sum) {
                    total += r;
                } else {
                    acc = j == 0 ? r : combine(op, acc, r);
                }
            }
            return sum ? (float) total : acc;
        }
        if (op == ReduceOp.SUM || op == ReduceOp.MEAN) {
            double total = 0;
            for (int j = 0; j < n; j++) {
                total += x[base + red.offset(j)];
            }
            return (float) total;
        }
        float acc = x[base + red.offset(0)];
        for (int j = 1; j < n; j++) {
            acc = combine(op, acc, x[base + red.offset(j)]);
        }
        return acc;
    }

    static void argReduce(ReduceOp op, Tensor values, Tensor indices, Tensor x, int dim) {
        int[] shape = x.shape();
        int[] strides = x.strides();
        boolean[] pick = new boolean[shape.length];
        pick[dim] = true;
        Group kept = Group.of(shape, strides, pick, false);
        int len = shape[dim];
        int step = strides[dim];
        int base = x.offset();
        boolean max = op == ReduceOp.MAX;
        long[] idx = Elementwise.l(indices);
        if (x.dtype() == DType.INT64) {
            long[] in = Elementwise.l(x);
            long[] o = Elementwise.l(values);
            Parallel.forRange(kept.count, Math.max(1, 4096 / len), (s, e) -> {
                for (int k = s; k < e; k++) {
                    int p = base + kept.offset(k);
                    int best = 0;
                    for (int j = 1; j < len; j++) {
                        long v = in[p + j * step];
                        if (max ? v > in[p + best * step] : v < in[p + best * step]) {
                            best = j;
                        }
                    }
                    o[k] = in[p + best * step];
                    idx[k] = best;
                }
            });
            return;
        }
        float[] in = Elementwise.f(x);
        float[] o = Elementwise.f(values);
        Parallel.forRange(kept.count, Math.max(1, 4096 / len), (s, e) -> {
            for (int k = s; k < e; k++) {
                int p = base + kept.offset(k);
                int best = 0;
                float bv = in[p];
                for (int j = 1; j < len && !Float.isNaN(bv); j++) {
                    float v = in[p + j * step];
                    if (Float.isNaN(v) || (max ? v > bv : v < bv)) {
                        best = j;
                        bv = v;
                    }
                }
                o[k] = bv;
                idx[k] = best;
            }
        });
    }

    static void softmax(Tensor out, Tensor x, int dim, boolean log) {
        int[] shape = x.shape();
        boolean[] pick = new boolean[shape.length];
        pick[dim] = true;
        Group keptX = Group.of(shape, x.strides(), pick, false);
        Group keptO = Group.of(shape, out.strides(), pick, false);
        int len = shape[dim];
        int sx = x.stride(dim);
        int so = out.stride(dim);
        float[] in = Elementwise.f(x);
        float[] o = Elementwise.f(out);
        int bx = x.offset();
        int bo = out.offset();
        // Chunks of at least 512 elements, where cheap elementwise ops take 8k: each costs an exp,
        // and a classifier's (128, 10) logits took 17–24 µs on one thread.
        Parallel.forRange(keptX.count, Math.max(1, 512 / Math.max(len, 1)), (s, e) -> {
            for (int k = s; k < e; k++) {
                softmaxRow(o, bo + keptO.offset(k), so, in, bx + keptX.offset(k), sx, len, log);
            }
        });
    }

    private static void softmaxRow(float[] o, int po, int so, float[] x, int px, int sx, int n, boolean log) {
        if (sx == 1 && so == 1 && n >= L) {
            SoftmaxRows.contiguous(o, po, x, px, n, log);
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[px + i * sx]);
        }
        // Scalar Math.exp, not the Vector API's EXP lanes: their compiled and interpreted forms
        // round differently, which made results depend on the JIT's timing.
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float ev = (float) Math.exp(x[px + i * sx] - max);
            sum += ev;
            if (!log) {
                o[po + i * so] = ev;
            }
        }
        if (log) {
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < n; i++) {
                o[po + i * so] = (x[px + i * sx] - max) - logSum;
            }
        } else {
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) {
                o[po + i * so] *= inv;
            }
        }
    }
}
