package dev.cortado.backend;

/**
 * Elementwise functions of one tensor. Parameterised ops read {@code alpha} and {@code beta}
 * from {@link Backend#unary}; the others ignore them.
 */
public enum UnaryOp {
    NEG, ABS, SIGN,
    EXP, LOG, SQRT,
    SIGMOID, TANH, RELU,
    /** x if x > 0 else alpha * x. */
    LEAKY_RELU,
    /** x raised to the power alpha. */
    POW,
    /** min(max(x, alpha), beta); either bound may be infinite. */
    CLAMP,
    /** The error function. */
    ERF,
    /** exp(x) - 1, accurate near 0. */
    EXPM1,
    /** log(1 + x), accurate near 0. */
    LOG1P,
    /** Rounding down, up, to the nearest integer (halves to even, as {@code torch.round}) and towards zero. */
    FLOOR, CEIL, ROUND, TRUNC,
    SIN, COS,
    TAN, ASIN, ACOS, ATAN,
    SINH, COSH, ASINH, ACOSH, ATANH,
    /** 2^x, log base 2 and log base 10. */
    EXP2, LOG2, LOG10,
    /** 1 - erf(x), without the cancellation (exact to float precision far into the tail). */
    ERFC,
    /** log |Γ(x)|, its derivative ψ(x), and ψ's alpha-th derivative (alpha ≥ 1, an integer). */
    LGAMMA, DIGAMMA, POLYGAMMA,
    /** The inverse of erf on [-1, 1]. */
    ERFINV,
    /** GELU with the exact normal CDF, (x / 2)·(1 + erf(x / √2)), as PyTorch's {@code gelu(approximate='none')} computes it. */
    GELU,
    /** SiLU (swish), x / (1 + e^(-x)), as PyTorch computes it. */
    SILU,
    /** Hardswish, x·min(max(x + 3, 0), 6) / 6, as PyTorch computes it. */
    HARDSWISH;

    /** Whether the op keeps an int64 input in int64 (the rest need floating point). */
    public boolean keepsIntegers() {
        return this == NEG || this == ABS || this == SIGN || this == RELU || this == CLAMP;
    }
}
