package dev.cortado.cpu;

import dev.cortado.backend.SpecialFunctions;
import dev.cortado.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.cortado.cpu.Elementwise.L;
import static dev.cortado.cpu.Elementwise.S;

/** One unit-stride row of a float32 unary op; each op has its own loop so the JIT sees constant operators. */
final class UnaryRows {
    private static final double LN2 = Math.log(2);

    private UnaryRows() {
    }

    static float scalar(UnaryOp op, float v, float a, float b) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            // PyTorch's (0 < v) - (v < 0): 0 for both zeros and for NaN.
            case SIGN -> v > 0 ? 1f : v < 0 ? -1f : 0f;
            case EXP -> FloatMath.exp(v);
            case LOG -> (float) Math.log(v);
            case SQRT -> (float) Math.sqrt(v);
            case SIGMOID -> FloatMath.sigmoid(v);
            case TANH -> FloatMath.tanh(v);
            // Only negatives become 0: NaN and -0.0 pass, as PyTorch's clamp_min(x, 0) leaves them.
            case RELU -> v < 0 ? 0f : v;
            case LEAKY_RELU -> v > 0 ? v : a * v;
            case POW -> pow(v, a);
            case CLAMP -> Float.isNaN(v) ? v : Math.min(Math.max(v, a), b);
            case ERF -> FloatMath.erf(v);
            case GELU -> FloatMath.gelu(v);
            case SILU -> FloatMath.silu(v);
            case HARDSWISH -> FloatMath.hardswish(v);
            case EXPM1 -> (float) Math.expm1(v);
            case LOG1P -> (float) Math.log1p(v);
            case FLOOR -> (float) Math.floor(v);
            case CEIL -> (float) Math.ceil(v);
            case ROUND -> (float) Math.rint(v);
            // Math.floor/ceil keep -0.0 and NaN, as C's truncf does.
            case TRUNC -> v < 0 ? (float) Math.ceil(v) : (float) Math.floor(v);
            case SIN -> (float) Math.sin(v);
            case COS -> (float) Math.cos(v);
            case TAN -> (float) Math.tan(v);
            case ASIN -> (float) Math.asin(v);
            case ACOS -> (float) Math.acos(v);
            case ATAN -> (float) Math.atan(v);
            case SINH -> (float) Math.sinh(v);
            case COSH -> (float) Math.cosh(v);
            case ASINH -> (float) SpecialFunctions.asinh(v);
            case ACOSH -> (float) SpecialFunctions.acosh(v);
            case ATANH -> (float) SpecialFunctions.atanh(v);
            case EXP2 -> (float) Math.pow(2, v);
            case LOG2 -> (float) (Math.log(v) / LN2);
            case LOG10 -> (float) Math.log10(v);
            case ERFC -> (float) SpecialFunctions.erfc(v);
            case LGAMMA -> (float) SpecialFunctions.lgamma(v);
            case DIGAMMA -> (float) SpecialFunctions.digamma(v);
            case POLYGAMMA -> (float) SpecialFunctions.polygamma((int) a, v);
            case ERFINV -> (float) SpecialFunctions.erfinv(v);
        };
    }

    /**
     * PyTorch's shortcuts for these exponents: their float roundings differ from a correctly
     * rounded power in about a quarter of the values (x³, x^-½, x^-²), and sqrt keeps -0 and
     * gives NaN at -inf where pow would give +0 and +inf.
     */
    private static float pow(float v, float a) {
        if (a == 2f) {
            return v * v;
        } else if (a == 3f) {
            return v * v * v;
        } else if (a == 0.5f) {
            return (float) Math.sqrt(v);
        } else if (a == -0.5f) {
            return 1f / (float) Math.sqrt(v);
        } else if (a == -1f) {
            return 1f / v;
        } else if (a == -2f) {
            return 1f / (v * v);
        } else if (a == 1f) {
            return v;
        }
        return (float) Math.pow(v, a);
    }

    static void contiguous(UnaryOp op, float[] o, int po, float[] x, int px, int n, float a, float b) {
        int i = 0;
        switch (op) {
            case NEG -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).neg().intoArray(o, po + i);
                }
            }
            case ABS -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).abs().intoArray(o, po + i);
                }
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i <= n - L; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, px + i);
                    v.blend(zero, v.compare(VectorOperators.LT, zero)).intoArray(o, po + i);
                }
            }
            case LEAKY_RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i <= n - L; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, px + i);
                    v.blend(v.mul(a), v.compare(VectorOperators.LE, zero)).intoArray(o, po + i);
                }
            }
            case SQRT -> {
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).sqrt().intoArray(o, po + i);
                }
            }
            case CLAMP -> {
                FloatVector lo = FloatVector.broadcast(S, a);
                FloatVector hi = FloatVector.broadcast(S, b);
                for (; i <= n - L; i += L) {
                    FloatVector.fromArray(S, x, px + i).max(lo).min(hi).intoArray(o, po + i);
                }
            }
            case EXP -> i = MathRows.exp(o, po, x, px, n);
            case SIGMOID -> i = MathRows.sigmoid(o, po, x, px, n);
            case TANH -> i = MathRows.tanh(o, po, x, px, n);
            case ERF -> i = MathRows.erf(o, po, x, px, n);
            case GELU -> i = MathRows.gelu(o, po, x, px, n);
            case SILU -> i = MathRows.silu(o, po, x, px, n);
            case HARDSWISH -> i = MathRows.hardswish(o, po, x, px, n);
            default -> {
            }
        }
        for (; i < n; i++) {
            o[po + i] = scalar(op, x[px + i], a, b);
        }
    }
}
