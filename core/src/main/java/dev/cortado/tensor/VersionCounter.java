package dev.cortado.tensor;

/**
 * How many in-place writes a tensor's data has had, shared by every view of it (a
 * {@code detach()} included), as PyTorch's {@code _version}. A backward pass compares it with
 * the count its node saved ({@link SavedVersions}).
 */
final class VersionCounter {
    private int value;

    int value() {
        return value;
    }

    void bump() {
        value++;
    }
}
