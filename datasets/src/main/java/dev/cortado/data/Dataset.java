package dev.cortado.data;

/**
 * A finite, indexable collection of samples, like {@code torch.utils.data.Dataset}.
 * {@link #get} must be safe to call from several threads (the {@link DataLoader}'s workers).
 */
public interface Dataset<T> {
    int size();

    /** The sample at {@code index}, 0 ≤ index < size(). */
    T get(int index);

    /** Checks an index against the size with a message naming the data set. */
    static void checkIndex(String name, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(name + ": index " + index + " is out of range for " + size + " samples");
        }
    }
}
