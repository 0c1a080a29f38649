package dev.cortado.backend;

/** Reductions over one or more dimensions. */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN
}
