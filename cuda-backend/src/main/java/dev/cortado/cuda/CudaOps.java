package dev.cortado.cuda;

import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.ReduceOp;
import dev.cortado.backend.UnaryOp;

/**
 * The op codes that kernels.cu switches on. Exhaustive switches without a default: a new op in
 * core does not compile here until it has a code, and a kernel case to go with it.
 */
final class CudaOps {
    private CudaOps() {
    }

    static int code(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case SIGN -> 2;
            case EXP -> 3;
            case LOG -> 4;
            case SQRT -> 5;
            case SIGMOID -> 6;
            case TANH -> 7;
            case RELU -> 8;
            case LEAKY_RELU -> 9;
            case POW -> 10;
            case CLAMP -> 11;
            case ERF -> 12;
            case EXPM1 -> 13;
            case LOG1P -> 14;
            case FLOOR -> 15;
            case CEIL -> 16;
            case ROUND -> 17;
            case TRUNC -> 18;
            case SIN -> 19;
            case COS -> 20;
            case TAN -> 21;
            case ASIN -> 22;
            case ACOS -> 23;
            case ATAN -> 24;
            case SINH -> 25;
            case COSH -> 26;
            case ASINH -> 27;
            case ACOSH -> 28;
            case ATANH -> 29;
            case EXP2 -> 30;
            case LOG2 -> 31;
            case LOG10 -> 32;
            case ERFC -> 33;
            case LGAMMA -> 34;
            case DIGAMMA -> 35;
            case POLYGAMMA -> 36;
            case ERFINV -> 37;
            case GELU -> 38;
            case SILU -> 39;
            case HARDSWISH -> 40;
        };
    }

    static int code(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case POW -> 4;
            case EQ -> 5;
            case NE -> 6;
            case GT -> 7;
            case LT -> 8;
            case GE -> 9;
            case LE -> 10;
            case RELU_BACKWARD -> 11;
            case FMOD -> 12;
            case REMAINDER -> 13;
            case FLOOR_DIVIDE -> 14;
            case TRUNC_DIVIDE -> 15;
            case ATAN2 -> 16;
            case HYPOT -> 17;
            case GELU_BACKWARD -> 18;
            case SILU_BACKWARD -> 19;
            case HARDSWISH_BACKWARD -> 20;
        };
    }

    static int code(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MEAN -> 1;
            case MAX -> 2;
            case MIN -> 3;
        };
    }

    /** The int64 unary kernel implements these (as the CPU backend does); the rest need float32. */
    static boolean definedForInt64(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU, CLAMP -> true;
            case EXP, LOG, SQRT, SIGMOID, TANH, LEAKY_RELU, POW, ERF, EXPM1, LOG1P, FLOOR, CEIL, ROUND, TRUNC, SIN, COS, TAN, ASIN, ACOS,
                 ATAN, SINH, COSH, ASINH, ACOSH, ATANH, EXP2, LOG2, LOG10, ERFC, LGAMMA, DIGAMMA, POLYGAMMA, ERFINV, GELU, SILU, HARDSWISH -> false;
        };
    }

    /** int64 arithmetic the kernel implements; comparisons have their own kernel. */
    static boolean definedForInt64(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, FMOD, REMAINDER, FLOOR_DIVIDE, TRUNC_DIVIDE -> true;
            case DIV, POW, RELU_BACKWARD, ATAN2, HYPOT, GELU_BACKWARD, SILU_BACKWARD, HARDSWISH_BACKWARD, EQ, NE, GT, LT, GE, LE -> false;
        };
    }
}
