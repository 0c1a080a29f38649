package dev.cortado.backend;

/** Elementwise functions of two tensors of equal shape (broadcasting is done by core through strides). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW,
    EQ, NE, GT, LT, GE, LE;

    /** Comparisons write a float32 mask of 0 and 1 whatever their input type. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
