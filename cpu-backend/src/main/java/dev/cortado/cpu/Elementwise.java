package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.CounterRandom;
import dev.cortado.backend.Division;
import dev.cortado.backend.UnaryOp;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** fill, copy/cast, unary, binary and where: strided rows, with Vector API loops for unit-stride rows. */
final class Elementwise {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Elementwise() {
    }

    static float[] f(Tensor t) {
        return ((CpuStorage) t.storage()).floats();
    }

    static long[] l(Tensor t) {
        return ((CpuStorage) t.storage()).longs();
    }

    /**
     * {@link CounterRandom#bernoulli} into contiguous out, in parallel: each element depends only
     * on the key and its index. The 24-bit draw r is compared with p as integers, r < ⌈p·2^24⌉,
     * which is exactly r·2^-24 < p; taking the sign of the difference instead of branching keeps
     * a coin flip from mispredicting every other element.
     */
    static void bernoulli(Tensor out, long key, double p) {
        float[] o = f(out);
        int base = out.offset();
        long threshold = (long) Math.ceil((float) p * 16777216.0);
        Parallel.forRange(out.numel(), 1 << 14, (start, end) -> {
            for (int i = start; i < end; i++) {
                o[base + i] = (float) (((CounterRandom.bits(key, i) >>> 40) - threshold) >>> 63);
            }
        });
    }

    static void fill(Tensor out, double value) {
        Layout lay = Layout.of(out);
        if (out.dtype() == DType.FLOAT32) {
            float[] o = f(out);
            float v = (float) value;
            int s = lay.innerStride(0);
            lay.forEachRowParallel((off, n) -> {
                if (s == 1) {
                    java.util.Arrays.fill(o, off[0], off[0] + n, v);
                } else {
                    for (int i = 0, p = off[0]; i < n; i++, p += s) {
                        o[p] = v;
                    }
                }
            });
        } else {
            long[] o = l(out);
            long v = (long) value;
            int s = lay.innerStride(0);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0]; i < n; i++, p += s) {
                    o[p] = v;
                }
            });
        }
    }

    static void copy(Tensor out, Tensor src) {
        Layout lay = Layout.of(out, src);
        int so = lay.innerStride(0);
        int ss = lay.innerStride(1);
        if (out.dtype() == DType.FLOAT32 && src.dtype() == DType.FLOAT32) {
            float[] o = f(out);
            float[] x = f(src);
            lay.forEachRowParallel((off, n) -> {
                if (so == 1 && ss == 1) {
                    System.arraycopy(x, off[1], o, off[0], n);
                } else {
                    for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += ss) {
                        o[p] = x[q];
                    }
                }
            });
        } else if (out.dtype() == DType.INT64 && src.dtype() == DType.INT64) {
            long[] o = l(out);
            long[] x = l(src);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += ss) {
                    o[p] = x[q];
                }
            });
        } else if (out.dtype() == DType.FLOAT32) {
            float[] o = f(out);
            long[] x = l(src);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += ss) {
                    o[p] = x[q];
                }
            });
        } else {
            long[] o = l(out);
            float[] x = f(src);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += ss) {
                    o[p] = (long) x[q];
                }
            });
        }
    }

    static void unary(UnaryOp op, Tensor out, Tensor x, double alpha, double beta) {
        Layout lay = Layout.of(out, x);
        int so = lay.innerStride(0);
        int sx = lay.innerStride(1);
        if (x.dtype() == DType.INT64) {
            long[] o = l(out);
            long[] in = l(x);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += sx) {
                    o[p] = unaryLong(op, in[q], alpha, beta);
                }
            });
            return;
        }
        float[] o = f(out);
        float[] in = f(x);
        float a = (float) alpha;
        float b = (float) beta;
        lay.forEachRowParallel((off, n) -> {
            if (so == 1 && sx == 1) {
                UnaryRows.contiguous(op, o, off[0], in, off[1], n, a, b);
            } else {
                for (int i = 0, p = off[0], q = off[1]; i < n; i++, p += so, q += sx) {
                    o[p] = UnaryRows.scalar(op, in[q], a, b);
                }
            }
        });
    }

    private static long unaryLong(UnaryOp op, long v, double a, double b) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Long.signum(v);
            case RELU -> Math.max(v, 0);
            case CLAMP -> (long) Math.min(Math.max((double) v, a), b);
            default -> throw new IllegalArgumentException("unary " + op + " is not defined for int64");
        };
    }

    static void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        Layout lay = Layout.of(out, a, b);
        int so = lay.innerStride(0);
        int sa = lay.innerStride(1);
        int sb = lay.innerStride(2);
        if (a.dtype() == DType.INT64) {
            long[] x = l(a);
            long[] y = l(b);
            if (op.isComparison()) {
                float[] o = f(out);
                lay.forEachRowParallel((off, n) -> {
                    for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += so, q += sa, r += sb) {
                        o[p] = compare(op, Long.compare(x[q], y[r])) ? 1f : 0f;
                    }
                });
            } else {
                long[] o = l(out);
                lay.forEachRowParallel((off, n) -> {
                    for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += so, q += sa, r += sb) {
                        o[p] = switch (op) {
                            case ADD -> x[q] + y[r];
                            case SUB -> x[q] - y[r];
                            case MUL -> x[q] * y[r];
                            case FMOD -> x[q] % y[r];
                            case REMAINDER -> Division.remainder(x[q], y[r]);
                            case FLOOR_DIVIDE -> Division.floorDivide(x[q], y[r]);
                            case TRUNC_DIVIDE -> x[q] / y[r];
                            default -> throw new IllegalArgumentException("binary " + op + " is not defined for int64");
                        };
                    }
                });
            }
            return;
        }
        float[] o = f(out);
        float[] x = f(a);
        float[] y = f(b);
        lay.forEachRowParallel((off, n) -> {
            if (so == 1 && sa == 1 && (sb == 1 || sb == 0)) {
                BinaryRows.contiguous(op, o, off[0], x, off[1], y, off[2], sb, n);
            } else if (so == 1 && sa == 0 && sb == 1) {
                BinaryRows.scalarFirst(op, o, off[0], x[off[1]], y, off[2], n);
            } else {
                for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += so, q += sa, r += sb) {
                    o[p] = BinaryRows.scalar(op, x[q], y[r]);
                }
            }
        });
    }

    static boolean compare(BinaryOp op, int c) {
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case GT -> c > 0;
            case LT -> c < 0;
            case GE -> c >= 0;
            case LE -> c <= 0;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    static void where(Tensor out, Tensor cond, Tensor a, Tensor b) {
        Layout lay = Layout.of(out, cond, a, b);
        int so = lay.innerStride(0);
        int sc = lay.innerStride(1);
        int sa = lay.innerStride(2);
        int sb = lay.innerStride(3);
        float[] c = f(cond);
        if (out.dtype() == DType.INT64) {
            long[] o = l(out);
            long[] x = l(a);
            long[] y = l(b);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], k = off[1], q = off[2], r = off[3]; i < n; i++, p += so, k += sc, q += sa, r += sb) {
                    o[p] = c[k] != 0 ? x[q] : y[r];
                }
            });
            return;
        }
        float[] o = f(out);
        float[] x = f(a);
        float[] y = f(b);
        lay.forEachRowParallel((off, n) -> {
            int i = 0;
            if (so == 1 && sc == 1 && sa == 1 && sb == 1) {
                FloatVector zero = FloatVector.zero(S);
                for (; i <= n - L; i += L) {
                    VectorMask<Float> m = FloatVector.fromArray(S, c, off[1] + i).compare(VectorOperators.NE, zero);
                    FloatVector.fromArray(S, y, off[3] + i).blend(FloatVector.fromArray(S, x, off[2] + i), m).intoArray(o, off[0] + i);
                }
            }
            for (int p = off[0] + i * so, k = off[1] + i * sc, q = off[2] + i * sa, r = off[3] + i * sb; i < n;
                 i++, p += so, k += sc, q += sa, r += sb) {
                o[p] = c[k] != 0 ? x[q] : y[r];
            }
        });
    }
}
