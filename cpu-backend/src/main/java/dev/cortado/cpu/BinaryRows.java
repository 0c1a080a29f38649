package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.Division;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.cortado.cpu.Elementwise.L;
import static dev.cortado.cpu.Elementwise.S;

/** One row of a float32 binary op where out and a have unit stride and b has stride 1 or 0 (a scalar). */
final class BinaryRows {
    private BinaryRows() {
    }

    static float scalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> y == 2f ? x * x : (float) Math.pow(x, y);
            case RELU_BACKWARD -> y <= 0f ? 0f : x;  // PyTorch's threshold_backward: NaN passes the gradient
            case FMOD -> Division.fmod(x, y);
            case REMAINDER -> Division.remainder(x, y);
            case FLOOR_DIVIDE -> Division.floorDivide(x, y);
            case TRUNC_DIVIDE -> Division.truncDivide(x, y);
            case ATAN2 -> (float) Math.atan2(x, y);
            case HYPOT -> (float) Math.hypot(x, y);
            case GELU_BACKWARD -> FloatMath.geluBackward(x, y);
            case SILU_BACKWARD -> FloatMath.siluBackward(x, y);
            case HARDSWISH_BACKWARD -> FloatMath.hardswishBackward(x, y);
            case EQ -> x == y ? 1f : 0f;
            case NE -> x != y ? 1f : 0f;
            case GT -> x > y ? 1f : 0f;
            case LT -> x < y ? 1f : 0f;
            case GE -> x >= y ? 1f : 0f;
            case LE -> x <= y ? 1f : 0f;
        };
    }

    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    /**
     * Comparison operators are literals in every loop: the Vector API compiles a comparison to
     * a vector instruction only when its operator is a constant, and falls back to a lane-by-lane
     * loop otherwise. The vector loops come in two copies, b a row or b a scalar, so that the scalar case
     * broadcasts once per row instead of once per vector (the JIT does not hoist it).
     */
    static void contiguous(BinaryOp op, float[] o, int po, float[] x, int px, float[] y, int py, int sy, int n) {
        int i = sy == 0 ? scalarRow(op, o, po, x, px, y[py], n) : vectorRow(op, o, po, x, px, y, py, n);
        for (; i < n; i++) {
            o[po + i] = scalar(op, x[px + i], y[py + i * sy]);
        }
    }

    /**
     * A row of op(v, b) for a scalar v first, as {@code rsub} (1 - sigmoid in its backward) gives:
     * the commutative ops as b op v (the same bits), subtraction and division in their own loops.
     */
    static void scalarFirst(BinaryOp op, float[] o, int po, float v, float[] y, int py, int n) {
        int i = 0;
        FloatVector a = FloatVector.broadcast(S, v);
        switch (op) {
            case ADD, MUL -> i = scalarRow(op, o, po, y, py, v, n);
            case SUB -> {
                for (; i <= n - L; i += L) {
                    a.sub(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            case DIV -> {
                for (; i <= n - L; i += L) {
                    a.div(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            default -> {
            }
        }
        for (; i < n; i++) {
            o[po + i] = scalar(op, v, y[py + i]);
        }
    }

    /** Vector part of a row where b is a row too; returns how many elements it did. */
    private static int vectorRow(BinaryOp op, float[] o, int po, float[] x, int px, float[] y, int py, int n) {
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).add(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            case SUB -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).sub(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            case MUL -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).mul(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            case DIV -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).div(FloatVector.fromArray(S, y, py + i)).intoArray(o, po + i);
                }
            }
            case GELU_BACKWARD -> i = MathRows.geluBackward(o, po, x, px, y, py, n);
            case SILU_BACKWARD -> i = MathRows.siluBackward(o, po, x, px, y, py, n);
            case HARDSWISH_BACKWARD -> i = MathRows.hardswishBackward(o, po, x, px, y, py, n);
            case RELU_BACKWARD -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).blend(ZERO, FloatVector.fromArray(S, y, py + i).compare(VectorOperators.LE, ZERO))
                            .intoArray(o, po + i);
                }
            }
            case EQ -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.EQ, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            case NE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.NE, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            case GT -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.GT, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            case LT -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.LT, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            case GE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.GE, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            case LE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.LE, FloatVector.fromArray(S, y, py + i))).intoArray(o, po + i);
                }
            }
            default -> {
            }
        }
        return i;
    }

    /** Vector part of a row where b is the scalar {@code v}; returns how many elements it did. */
    private static int scalarRow(BinaryOp op, float[] o, int po, float[] x, int px, float v, int n) {
        int i = 0;
        FloatVector b = FloatVector.broadcast(S, v);
        switch (op) {
            case ADD -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).add(b).intoArray(o, po + i);
                }
            }
            case SUB -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).sub(b).intoArray(o, po + i);
                }
            }
            case MUL -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).mul(b).intoArray(o, po + i);
                }
            }
            case DIV -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).div(b).intoArray(o, po + i);
                }
            }
            case EQ -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.EQ, b)).intoArray(o, po + i);
                }
            }
            case NE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.NE, b)).intoArray(o, po + i);
                }
            }
            case GT -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.GT, b)).intoArray(o, po + i);
                }
            }
            case LT -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.LT, b)).intoArray(o, po + i);
                }
            }
            case GE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.GE, b)).intoArray(o, po + i);
                }
            }
            case LE -> {
                for (; i <= n - L; i += L) {
                    ZERO.blend(ONE, FloatVector.fromArray(S, x, px + i).compare(VectorOperators.LE, b)).intoArray(o, po + i);
                }
            }
            default -> {
            }
        }
        return i;
    }
}
