package dev.cortado.tensor;

/**
 * How many in-place writes a tensor's data has had, shared by every view of it (a
 * {@code detach()} included), as PyTorch's {@code _version}. A backward pass compares it with
 * the count its node saved ({@link SavedVersions}).
 */
final class VersionCounter {
    private int value;
    private int views;

    int value() {
        return value;
    }

    void bump() {
        value++;
    }

    /**
     * How many views of this data the view ops have made (reshape, narrow, transpose, ...; not
     * detach(), whose result is plain data): their nodes, or their lack of one, date from before
     * any later update that autograd records, so its gradient would not reach them
     * ({@link RecordedInPlace}).
     */
    int views() {
        return views;
    }

    void addView() {
        views++;
    }
}
