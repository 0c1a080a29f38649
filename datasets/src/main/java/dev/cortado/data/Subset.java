package dev.cortado.data;

/** {@code Subset(dataset, indices)}: the samples of {@code dataset} at the given indices, in that order. */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        for (int i : indices) {
            Dataset.checkIndex("Subset", i, dataset.size());
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        Dataset.checkIndex("Subset", index, indices.length);
        return dataset.get(indices[index]);
    }

    public int[] indices() {
        return indices.clone();
    }
}
