package dev.cortado.testing;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.Pool2dParams;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.Storage;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * The truth the fast kernels are checked against: plain scalar loops over multi-indices, with
 * float32 tensors held in double precision so that gradcheck's finite differences are exact enough.
 */
public final class ReferenceBackend implements Backend {
    public static final Device DEVICE = new Device("reference", 0);

    static final class RefStorage implements Storage {
        final Device device;
        final DType dtype;
        final double[] f;
        final long[] l;
        /** Set by {@link #release()}, so memory-scope tests can see what was given back. */
        boolean released;

        RefStorage(Device device, DType dtype, int n) {
            this.device = device;
            this.dtype = dtype;
            this.f = dtype == DType.FLOAT32 ? new double[n] : null;
            this.l = dtype == DType.INT64 ? new long[n] : null;
        }

        @Override
        public Device device() {
            return device;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public int size() {
            return f != null ? f.length : l.length;
        }

        @Override
        public void release() {
            released = true;
        }

        /** Releasable, unlike heap storage usually is, so that core's tests can watch MemoryScope work. */
        @Override
        public boolean releasable() {
            return true;
        }
    }

    /** Whether t's storage was released (by close() or a MemoryScope). */
    public static boolean isReleased(Tensor t) {
        return s(t).released;
    }

    @Override
    public String name() {
        return "reference";
    }

    /** Storage offset of the i-th element in row-major order. */
    static int at(Tensor t, int flat) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int off = t.offset();
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (flat % shape[d]) * strides[d];
            flat /= shape[d];
        }
        return off;
    }

    static RefStorage s(Tensor t) {
        return (RefStorage) t.storage();
    }

    static double get(Tensor t, int i) {
        RefStorage s = s(t);
        return s.f != null ? s.f[at(t, i)] : s.l[at(t, i)];
    }

    static long getLong(Tensor t, int i) {
        RefStorage s = s(t);
        return s.l != null ? s.l[at(t, i)] : (long) s.f[at(t, i)];
    }

    static void set(Tensor t, int i, double v) {
        RefStorage s = s(t);
        if (s.f != null) {
            s.f[at(t, i)] = v;
        } else {
            s.l[at(t, i)] = (long) v;
        }
    }

    static void setLong(Tensor t, int i, long v) {
        RefStorage s = s(t);
        if (s.l != null) {
            s.l[at(t, i)] = v;
        } else {
            s.f[at(t, i)] = v;
        }
    }

    @Override
    public Storage allocate(Device device, DType dtype, int size) {
        return new RefStorage(device, dtype, size);
    }

    @Override
    public Storage fromFloats(Device device, float[] data) {
        RefStorage s = new RefStorage(device, DType.FLOAT32, data.length);
        for (int i = 0; i < data.length; i++) {
            s.f[i] = data[i];
        }
        return s;
    }

    @Override
    public Storage fromDoubles(Device device, double[] data) {
        RefStorage s = new RefStorage(device, DType.FLOAT32, data.length);
        System.arraycopy(data, 0, s.f, 0, data.length);
        return s;
    }

    @Override
    public Storage fromLongs(Device device, long[] data) {
        RefStorage s = new RefStorage(device, DType.INT64, data.length);
        System.arraycopy(data, 0, s.l, 0, data.length);
        return s;
    }

    @Override
    public float[] toFloats(Tensor src) {
        float[] out = new float[src.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) get(src, i);
        }
        return out;
    }

    @Override
    public double[] toDoubles(Tensor src) {
        double[] out = new double[src.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(src, i);
        }
        return out;
    }

    @Override
    public long[] toLongs(Tensor src) {
        long[] out = new long[src.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(src, i);
        }
        return out;
    }

    @Override
    public void fill(Tensor out, double value) {
        for (int i = 0; i < out.numel(); i++) {
            set(out, i, value);
        }
    }

    @Override
    public void copy(Tensor out, Tensor src) {
        for (int i = 0; i < out.numel(); i++) {
            if (src.dtype() == DType.INT64) {
                setLong(out, i, getLong(src, i));
            } else {
                set(out, i, get(src, i));
            }
        }
    }

    @Override
    public void unary(UnaryOp op, Tensor out, Tensor x, double a, double b) {
        for (int i = 0; i < out.numel(); i++) {
            double v = get(x, i);
            double r = switch (op) {
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case SIGN -> v > 0 ? 1 : v < 0 ? -1 : 0;
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case SQRT -> Math.sqrt(v);
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case RELU -> v < 0 ? 0 : v;
                case LEAKY_RELU -> v > 0 ? v : a * v;
                // sqrt as PyTorch's shortcut for these two: -0 stays, -inf gives NaN.
                case POW -> a == 0.5 ? Math.sqrt(v) : a == -0.5 ? 1 / Math.sqrt(v) : Math.pow(v, a);
                case CLAMP -> Double.isNaN(v) ? v : Math.min(Math.max(v, a), b);
                case ERF -> dev.cortado.backend.SpecialFunctions.erf(v);
                case GELU -> v * 0.5 * (1 + dev.cortado.backend.SpecialFunctions.erf(v * Math.sqrt(0.5)));
                case SILU -> v / (1 + Math.exp(-v));
                case HARDSWISH -> v * Math.min(Math.max(v + 3, 0), 6) / 6;
                case EXPM1 -> Math.expm1(v);
                case LOG1P -> Math.log1p(v);
                case FLOOR -> Math.floor(v);
                case CEIL -> Math.ceil(v);
                case ROUND -> Math.rint(v);
                case TRUNC -> v < 0 ? Math.ceil(v) : Math.floor(v);
                case SIN -> Math.sin(v);
                case COS -> Math.cos(v);
                case TAN -> Math.tan(v);
                case ASIN -> Math.asin(v);
                case ACOS -> Math.acos(v);
                case ATAN -> Math.atan(v);
                case SINH -> Math.sinh(v);
                case COSH -> Math.cosh(v);
                // The textbook forms: in double, accurate enough for float results at test inputs.
                case ASINH -> Math.log(v + Math.sqrt(v * v + 1));
                case ACOSH -> Math.log(v + Math.sqrt(v * v - 1));
                case ATANH -> 0.5 * Math.log((1 + v) / (1 - v));
                case EXP2 -> Math.pow(2, v);
                case LOG2 -> Math.log(v) / Math.log(2);
                case LOG10 -> Math.log10(v);
                case ERFC -> 1 - dev.cortado.backend.SpecialFunctions.erf(v);
                // The CPU's double implementations: the contract compares the other backends with them.
                case LGAMMA -> dev.cortado.backend.SpecialFunctions.lgamma(v);
                case DIGAMMA -> dev.cortado.backend.SpecialFunctions.digamma(v);
                case POLYGAMMA -> dev.cortado.backend.SpecialFunctions.polygamma((int) a, v);
                case ERFINV -> dev.cortado.backend.SpecialFunctions.erfinv(v);
            };
            if (x.dtype() == DType.INT64) {
                setLong(out, i, op == UnaryOp.NEG ? -getLong(x, i) : (long) r);
            } else {
                set(out, i, r);
            }
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        boolean integer = a.dtype() == DType.INT64;
        for (int i = 0; i < out.numel(); i++) {
            if (integer) {
                long x = getLong(a, i);
                long y = getLong(b, i);
                switch (op) {
                    case ADD -> setLong(out, i, x + y);
                    case SUB -> setLong(out, i, x - y);
                    case MUL -> setLong(out, i, x * y);
                    case FMOD -> setLong(out, i, x % y);
                    case REMAINDER -> setLong(out, i, Math.floorMod(x, y));
                    case FLOOR_DIVIDE -> setLong(out, i, Math.floorDiv(x, y));
                    case TRUNC_DIVIDE -> setLong(out, i, x / y);
                    default -> set(out, i, compare(op, Long.compare(x, y), false));
                }
            } else {
                double x = get(a, i);
                double y = get(b, i);
                double r = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    case POW -> Math.pow(x, y);
                    case RELU_BACKWARD -> y <= 0 ? 0 : x;
                    // The definitions in double: fmod and remainder exact, the floor of the true
                    // quotient, and (as PyTorch's) trunc of the float quotient: 1 / 0.1f is 10.
                    // PyTorch's floor starts from fmod, so inf // 2 is NaN as inf % 2 is.
                    case FMOD -> x % y;
                    case REMAINDER -> remainder(x, y);
                    case FLOOR_DIVIDE -> y == 0 ? x / y : Double.isNaN(x % y) ? Double.NaN : Math.floor(x / y);
                    case TRUNC_DIVIDE -> trunc((float) (x / y));
                    case ATAN2 -> Math.atan2(x, y);
                    case HYPOT -> Math.hypot(x, y);
                    case GELU_BACKWARD -> x * (0.5 * (1 + dev.cortado.backend.SpecialFunctions.erf(y * Math.sqrt(0.5)))
                            + y * Math.exp(-0.5 * y * y) / Math.sqrt(2 * Math.PI));
                    case SILU_BACKWARD -> {
                        double sig = 1 / (1 + Math.exp(-y));
                        yield x * sig * (1 + y * (1 - sig));
                    }
                    case HARDSWISH_BACKWARD -> y < -3 ? 0 : y <= 3 ? x * (y / 3 + 0.5) : x;
                    // IEEE order, in which -0.0 equals 0.0 (Double.compare puts it below).
                    default -> compare(op, x < y ? -1 : x > y ? 1 : 0, Double.isNaN(x) || Double.isNaN(y));
                };
                set(out, i, r);
            }
        }
    }

    private static double trunc(double q) {
        return q < 0 ? Math.ceil(q) : Math.floor(q);
    }

    /** Python's modulus: fmod, moved into the divisor's sign. */
    private static double remainder(double x, double y) {
        double mod = x % y;
        return mod != 0 && (y < 0) != (mod < 0) ? mod + y : mod;
    }

    private static double compare(BinaryOp op, int c, boolean nan) {
        if (nan) {
            return op == BinaryOp.NE ? 1 : 0;
        }
        boolean r = switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case GT -> c > 0;
            case LT -> c < 0;
            case GE -> c >= 0;
            case LE -> c <= 0;
            default -> throw new IllegalArgumentException(op.name());
        };
        return r ? 1 : 0;
    }

    @Override
    public void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        for (int i = 0; i < out.numel(); i++) {
            Tensor pick = get(cond, i) != 0 ? a : b;
            if (out.dtype() == DType.INT64) {
                setLong(out, i, getLong(pick, i));
            } else {
                set(out, i, get(pick, i));
            }
        }
    }

    /** Row-major flat index in {@code to} of the element at {@code from}'s flat index, with its coordinate along dim replaced by pos. */
    private static int moved(int[] from, int[] to, int flat, int dim, long pos) {
        int idx = 0;
        int mul = 1;
        for (int d = from.length - 1; d >= 0; d--) {
            int coord = flat % from[d];
            flat /= from[d];
            idx += (d == dim ? (int) pos : coord) * mul;
            mul *= to[d];
        }
        return idx;
    }

    @Override
    public void gather(Tensor out, Tensor x, int dim, Tensor index) {
        for (int i = 0; i < out.numel(); i++) {
            int from = moved(out.shape(), x.shape(), i, dim, getLong(index, i));
            if (out.dtype() == DType.INT64) {
                setLong(out, i, getLong(x, from));
            } else {
                set(out, i, get(x, from));
            }
        }
    }

    @Override
    public void cumsum(Tensor out, Tensor x, int dim) {
        int[] shape = x.shape();
        int len = shape[dim];
        for (int i = 0; i < x.numel(); i++) {
            if (i / inner(shape, dim) % len != 0) {
                continue; // not the first element of its line
            }
            double sum = 0;
            long total = 0;
            for (int j = 0; j < len; j++) {
                int at = moved(shape, shape, i, dim, j);
                if (x.dtype() == DType.INT64) {
                    total += getLong(x, at);
                    setLong(out, at, total);
                } else {
                    sum += get(x, at);
                    set(out, at, sum);
                }
            }
        }
    }

    @Override
    public void sort(Tensor values, Tensor indices, Tensor x, int dim, boolean descending) {
        int[] shape = x.shape();
        int len = shape[dim];
        for (int i = 0; i < x.numel(); i++) {
            if (i / inner(shape, dim) % len != 0) {
                continue; // not the first element of its line
            }
            Integer[] order = new Integer[len];
            double[] v = new double[len];
            long[] w = new long[len];
            for (int j = 0; j < len; j++) {
                order[j] = j;
                int at = moved(shape, shape, i, dim, j);
                v[j] = get(x, at);
                w[j] = getLong(x, at);
            }
            // Double.compare puts NaN above +inf, but -0.0 below 0.0: 0.0 + v makes them one.
            java.util.Comparator<Integer> ascending = x.dtype() == DType.INT64
                    ? (a, b) -> Long.compare(w[a], w[b])
                    : (a, b) -> Double.compare(0.0 + v[a], 0.0 + v[b]);
            java.util.Arrays.sort(order, descending ? ascending.reversed() : ascending); // stable: a merge sort
            for (int j = 0; j < len; j++) {
                int at = moved(shape, shape, i, dim, j);
                if (x.dtype() == DType.INT64) {
                    setLong(values, at, w[order[j]]);
                } else {
                    set(values, at, v[order[j]]);
                }
                setLong(indices, at, order[j]);
            }
        }
    }

    /** Elements per step along dim in row-major order. */
    private static int inner(int[] shape, int dim) {
        int n = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        for (int i = 0; i < src.numel(); i++) {
            int to = moved(src.shape(), out.shape(), i, dim, getLong(index, i));
            if (out.dtype() == DType.INT64) {
                setLong(out, to, getLong(out, to) + getLong(src, i));
            } else {
                set(out, to, get(out, to) + get(src, i));
            }
        }
    }

    /** Flat index in out (keepdim shape) of x's i-th element. */
    private static int reducedIndex(int[] xShape, int[] outShape, int flat) {
        int idx = 0;
        int mul = 1;
        for (int d = xShape.length - 1; d >= 0; d--) {
            int coord = flat % xShape[d];
            flat /= xShape[d];
            idx += (outShape[d] == 1 ? 0 : coord) * mul;
            mul *= outShape[d];
        }
        return idx;
    }

    @Override
    public void reduce(ReduceOp op, Tensor out, Tensor x, int[] dims) {
        int n = out.numel();
        double[] acc = new double[n];
        long[] lacc = new long[n];
        boolean[] seen = new boolean[n];
        int count = x.numel() / Math.max(n, 1);
        int[] xs = x.shape();
        int[] os = out.shape();
        boolean integer = x.dtype() == DType.INT64;
        for (int i = 0; i < x.numel(); i++) {
            int o = reducedIndex(xs, os, i);
            if (integer) {
                long v = getLong(x, i);
                lacc[o] = switch (op) {
                    case SUM, MEAN -> lacc[o] + v;
                    case MAX -> seen[o] ? Math.max(lacc[o], v) : v;
                    case MIN -> seen[o] ? Math.min(lacc[o], v) : v;
                };
            } else {
                double v = get(x, i);
                acc[o] = switch (op) {
                    case SUM, MEAN -> acc[o] + v;
                    case MAX -> !seen[o] || Double.isNaN(v) || v > acc[o] && !Double.isNaN(acc[o]) ? v : acc[o];
                    case MIN -> !seen[o] || Double.isNaN(v) || v < acc[o] && !Double.isNaN(acc[o]) ? v : acc[o];
                };
            }
            seen[o] = true;
        }
        for (int o = 0; o < n; o++) {
            if (integer) {
                setLong(out, o, lacc[o]);
            } else {
                set(out, o, op == ReduceOp.MEAN ? acc[o] / count : acc[o]);
            }
        }
    }

    @Override
    public void argReduce(ReduceOp op, Tensor values, Tensor indices, Tensor x, int dim) {
        int[] xs = x.shape();
        int len = xs[dim];
        int inner = 1;
        for (int d = dim + 1; d < xs.length; d++) {
            inner *= xs[d];
        }
        for (int o = 0; o < values.numel(); o++) {
            int outer = o / inner;
            int in = o % inner;
            int best = 0;
            double bestV = 0;
            for (int k = 0; k < len; k++) {
                double v = get(x, (outer * len + k) * inner + in);
                boolean better = k == 0 || !Double.isNaN(bestV) && (Double.isNaN(v) || (op == ReduceOp.MAX ? v > bestV : v < bestV));
                if (better) {
                    best = k;
                    bestV = v;
                }
            }
            if (x.dtype() == DType.INT64) {
                setLong(values, o, getLong(x, (outer * len + best) * inner + in));
            } else {
                set(values, o, bestV);
            }
            setLong(indices, o, best);
        }
    }

    @Override
    public void matmul(Tensor out, Tensor a, Tensor b) {
        int[] os = out.shape();
        int r = os.length;
        int m = os[r - 2];
        int n = os[r - 1];
        int k = a.shape()[r - 1];
        int batches = out.numel() / Math.max(m * n, 1);
        for (int bt = 0; bt < batches && m * n > 0; bt++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += get(a, (bt * m + i) * k + p) * get(b, (bt * k + p) * n + j);
                    }
                    set(out, (bt * m + i) * n + j, sum);
                }
            }
        }
    }

    @Override
    public void softmax(Tensor out, Tensor x, int dim, boolean log) {
        int[] xs = x.shape();
        int len = xs[dim];
        int inner = 1;
        for (int d = dim + 1; d < xs.length; d++) {
            inner *= xs[d];
        }
        int rows = x.numel() / Math.max(len, 1);
        for (int o = 0; o < rows; o++) {
            int outer = o / inner;
            int in = o % inner;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < len; k++) {
                max = Math.max(max, get(x, (outer * len + k) * inner + in));
            }
            double sum = 0;
            for (int k = 0; k < len; k++) {
                sum += Math.exp(get(x, (outer * len + k) * inner + in) - max);
            }
            for (int k = 0; k < len; k++) {
                int i = (outer * len + k) * inner + in;
                double v = get(x, i) - max;
                set(out, i, log ? v - Math.log(sum) : Math.exp(v) / sum);
            }
        }
    }

    @Override
    public void conv2d(Tensor out, Tensor x, Tensor w, Conv2dParams p) {
        ReferenceWindows.conv2d(out, x, w, p);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradInput, Tensor gradOut, Tensor w, Conv2dParams p) {
        ReferenceWindows.conv2dBackwardInput(gradInput, gradOut, w, p);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        ReferenceWindows.conv2dBackwardWeight(gradWeight, gradOut, x, p);
    }

    @Override
    public void maxPool2d(Tensor out, Tensor indices, Tensor x, Pool2dParams p) {
        ReferenceWindows.maxPool2d(out, indices, x, p);
    }

    @Override
    public void maxPool2dBackward(Tensor gradInput, Tensor gradOut, Tensor indices, Pool2dParams p) {
        ReferenceWindows.maxPool2dBackward(gradInput, gradOut, indices);
    }

    @Override
    public void avgPool2d(Tensor out, Tensor x, Pool2dParams p) {
        ReferenceWindows.avgPool2d(out, x, p);
    }

    @Override
    public void avgPool2dBackward(Tensor gradInput, Tensor gradOut, Pool2dParams p) {
        ReferenceWindows.avgPool2dBackward(gradInput, gradOut, p);
    }

    @Override
    public void batchNormStats(Tensor mean, Tensor var, Tensor x) {
        ReferenceNorm.stats(mean, var, x);
    }

    @Override
    public void batchNormApply(Tensor out, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias) {
        ReferenceNorm.apply(out, x, mean, invstd, weight, bias);
    }

    @Override
    public void batchNormBackward(Tensor gradInput, Tensor gradWeight, Tensor gradBias, Tensor gradOut, Tensor x, Tensor mean,
                                  Tensor invstd, Tensor weight, boolean batchStats) {
        ReferenceNorm.backward(gradInput, gradWeight, gradBias, gradOut, x, mean, invstd, weight, batchStats);
    }

    static int numel(int[] shape) {
        return Shapes.numel(shape);
    }
}
