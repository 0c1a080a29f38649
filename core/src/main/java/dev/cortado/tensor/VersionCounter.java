package dev.cortado.tensor;

/**
 * How many in-place writes a tensor's data has had, shared by every view of it (a
 * {@code detach()} included), as PyTorch's {@code _version}. A backward pass compares it with
 * the count its node saved ({@link SavedVersions}). It also counts the recorded in-place updates
 * that gave this data a new node ({@link #graphEpoch}), after which every view made before
 * re-derives its node from its base's ({@link ViewGradients}).
 */
final class VersionCounter {
    private int value;
    private int graphEpoch;

    int value() {
        return value;
    }

    void bump() {
        value++;
    }

    /** How many times a recorded in-place update has re-pointed this data's graph. */
    int graphEpoch() {
        return graphEpoch;
    }

    void graphRewritten() {
        graphEpoch++;
    }
}
