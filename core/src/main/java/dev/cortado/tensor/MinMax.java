package dev.cortado.tensor;

/** Result of {@code aminmax}: the smallest and the largest values. */
public record MinMax(Tensor min, Tensor max) {
}
