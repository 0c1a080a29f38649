package dev.cortado.nn;

/** How a loss combines per-element values: PyTorch's {@code reduction="none" | "mean" | "sum"}. */
public enum Reduction {
    NONE,
    MEAN,
    SUM
}
