package dev.cortado.cpu;

import dev.cortado.backend.BinaryOp;
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
            case EQ -> x == y ? 1f : 0f;
            case NE -> x != y ? 1f : 0f;
            case GT -> x > y ? 1f : 0f;
            case LT -> x < y ? 1f : 0f;
            case GE -> x >= y ? 1f : 0f;
            case LE -> x <= y ? 1f : 0f;
        };
    }

    private static FloatVector load(float[] y, int p, int stride, int i) {
        return stride == 0 ? FloatVector.broadcast(S, y[p]) : FloatVector.fromArray(S, y, p + i);
    }

    static void contiguous(BinaryOp op, float[] o, int po, float[] x, int px, float[] y, int py, int sy, int n) {
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).add(load(y, py, sy, i)).intoArray(o, po + i);
                }
            }
            case SUB -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).sub(load(y, py, sy, i)).intoArray(o, po + i);
                }
            }
            case MUL -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).mul(load(y, py, sy, i)).intoArray(o, po + i);
                }
            }
            case DIV -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).div(load(y, py, sy, i)).intoArray(o, po + i);
                }
            }
            case EQ, NE, GT, LT, GE, LE -> {
                VectorOperators.Comparison c = switch (op) {
                    case EQ -> VectorOperators.EQ;
                    case NE -> VectorOperators.NE;
                    case GT -> VectorOperators.GT;
                    case LT -> VectorOperators.LT;
                    case GE -> VectorOperators.GE;
                    default -> VectorOperators.LE;
                };
                FloatVector zero = FloatVector.zero(S);
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i <= n - L; i += L) {
                    zero.blend(one, FloatVector.fromArray(S, x, px + i).compare(c, load(y, py, sy, i))).intoArray(o, po + i);
                }
            }
            default -> {
            }
        }
        for (; i < n; i++) {
            o[po + i] = scalar(op, x[px + i], y[py + i * sy]);
        }
    }
}
