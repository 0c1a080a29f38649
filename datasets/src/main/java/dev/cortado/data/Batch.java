package dev.cortado.data;

import dev.cortado.tensor.Tensor;

/** A collated mini-batch: inputs stacked along a new first dim, labels as an int64 vector. */
public record Batch(Tensor inputs, Tensor labels) {
    public int size() {
        return labels.size(0);
    }
}
