package dev.cortado.tensor;

/**
 * Result of {@code unique} and {@code uniqueConsecutive}: the distinct values (or slices), for
 * each input element (or slice) the int64 position of its value among them, and how often each
 * value occurs (int64).
 */
public record UniqueResult(Tensor values, Tensor inverse, Tensor counts) {
}
