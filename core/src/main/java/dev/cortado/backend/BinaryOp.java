package dev.cortado.backend;

/** Elementwise functions of two tensors of equal shape (broadcasting is done by core through strides). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW,
    /**
     * ReLU's backward pass, {@code b > 0 ? a : 0} for the incoming gradient a and ReLU's output b
     * (PyTorch's {@code threshold_backward} at 0): one pass instead of a mask and a product. float32 only.
     */
    RELU_BACKWARD,
    EQ, NE, GT, LT, GE, LE;

    /** Comparisons write a float32 mask of 0 and 1 whatever their input type. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
