package dev.cortado.data;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code TensorDataset(inputs, labels)}: sample i is row i of the inputs with label i. */
public final class TensorDataset implements Dataset<Example> {
    private final Tensor inputs;
    private final long[] labels;

    public TensorDataset(Tensor inputs, Tensor labels) {
        if (inputs.dim() < 1 || labels.dim() != 1 || inputs.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs " + Shapes.str(inputs.shape()) + " and labels "
                    + Shapes.str(labels.shape()) + " must have the same first dimension (labels 1-d)");
        }
        if (labels.dtype() != DType.INT64) {
            throw new IllegalArgumentException("TensorDataset: labels must be int64 class indices, got " + labels.dtype());
        }
        this.inputs = inputs;
        this.labels = labels.toLongArray();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex("TensorDataset", index, size());
        return new Example(inputs.select(0, index), labels[index]);
    }
}
