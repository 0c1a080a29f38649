package dev.cortado.data;

import java.util.List;

/** {@code ConcatDataset([a, b, ...])}: the samples of each data set one after the other. */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<T>> parts;
    private final int[] starts;

    public ConcatDataset(List<Dataset<T>> parts) {
        this.parts = List.copyOf(parts);
        starts = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) {
            starts[i + 1] = Math.addExact(starts[i], parts.get(i).size());
        }
    }

    @Override
    public int size() {
        return starts[parts.size()];
    }

    @Override
    public T get(int index) {
        Dataset.checkIndex("ConcatDataset", index, size());
        int p = java.util.Arrays.binarySearch(starts, index);
        // An exact hit may be the start of an empty part: take the last part starting there.
        if (p >= 0) {
            while (p + 1 < starts.length && starts[p + 1] == index) {
                p++;
            }
        } else {
            p = -p - 2;
        }
        return parts.get(p).get(index - starts[p]);
    }
}
