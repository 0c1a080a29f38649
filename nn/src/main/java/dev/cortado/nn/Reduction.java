package dev.cortado.nn;

/** How a loss combines per-element values: PyTorch's {@code reduction="none" | "mean" | "sum"}. */
public enum Reduction {
    NONE,
    MEAN,
    SUM,
    /** The sum divided by the batch size (the first dim): {@code kl_div}'s {@code "batchmean"}, the KL divergence proper; other losses refuse it. */
    BATCHMEAN
}
