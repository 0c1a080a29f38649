package dev.cortado.tensor;

/**
 * How many in-place writes a tensor's data has had, shared by every view of it (a
 * {@code detach()} included), as PyTorch's {@code _version}. A backward pass compares it with
 * the count its node saved ({@link SavedVersions}).
 */
final class VersionCounter {
    private int value;
    private int graphViews;

    int value() {
        return value;
    }

    void bump() {
        value++;
    }

    /**
     * How many views of this data autograd has recorded (a reshape, narrow or transpose of a
     * tensor that requires grad): their nodes lead to the data's node of that time, so an update
     * recorded later would not reach their gradients ({@link RecordedInPlace}).
     */
    int graphViews() {
        return graphViews;
    }

    void addGraphView() {
        graphViews++;
    }
}
