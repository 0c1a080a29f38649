package dev.cortado.backend;

/** Elementwise functions of two tensors of equal shape (broadcasting is done by core through strides). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW,
    /**
     * ReLU's backward pass, {@code b > 0 ? a : 0} for the incoming gradient a and ReLU's output b
     * (PyTorch's {@code threshold_backward} at 0): one pass instead of a mask and a product. float32 only.
     */
    RELU_BACKWARD,
    /** C's fmod: the remainder of a / b rounded toward zero, with a's sign ({@code torch.fmod}). */
    FMOD,
    /** Python's modulus: the remainder of a / b rounded toward minus infinity, with b's sign ({@code torch.remainder}). */
    REMAINDER,
    /** a / b rounded toward minus infinity ({@code torch.div(a, b, rounding_mode="floor")}). */
    FLOOR_DIVIDE,
    /** a / b rounded toward zero ({@code torch.div(a, b, rounding_mode="trunc")}). */
    TRUNC_DIVIDE,
    /** The angle of the point (b, a), in (-pi, pi] ({@code torch.atan2}). float32 only. */
    ATAN2,
    /** sqrt(a^2 + b^2) without overflow or underflow on the way ({@code torch.hypot}). float32 only. */
    HYPOT,
    /**
     * GELU's backward pass, a·(Φ(b) + b·φ(b)) for the incoming gradient a and GELU's input b, with
     * Φ and φ the normal CDF and density, in PyTorch's float steps. float32 only.
     */
    GELU_BACKWARD,
    /** SiLU's backward pass, a·σ(b)·(1 + b·(1 − σ(b))) for the incoming gradient a and SiLU's input b. float32 only. */
    SILU_BACKWARD,
    /**
     * Hardswish's backward pass for the incoming gradient a and its input b: 0 below -3,
     * a·(b / 3 + ½) up to 3, a above (and for NaN), PyTorch's branches. float32 only.
     */
    HARDSWISH_BACKWARD,
    EQ, NE, GT, LT, GE, LE;

    /** Comparisons write a float32 mask of 0 and 1 whatever their input type. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    /** Ops whose result is float32 even for two int64 operands (PyTorch's true division and transcendental functions). */
    public boolean alwaysFloat() {
        return this == DIV || this == POW || this == ATAN2 || this == HYPOT || this == GELU_BACKWARD || this == SILU_BACKWARD
                || this == HARDSWISH_BACKWARD;
    }

    /** Ops that divide: on int64 operands a zero divisor is an error, as in PyTorch. */
    public boolean divides() {
        return this == FMOD || this == REMAINDER || this == FLOOR_DIVIDE || this == TRUNC_DIVIDE;
    }
}
