package dev.cortado.tensor;

/**
 * The versions of the tensors a node's backward reads, taken when the node was recorded. A
 * backward that read one of them after an in-place write (through any view, a detach() or a
 * no-grad block included) would return a silently wrong gradient, so it refuses to run, as
 * PyTorch's saved-tensor check does.
 */
final class SavedVersions {
    private final Tensor[] tensors;
    private final int[] versions;

    /** Null entries (an absent weight or bias) are skipped. */
    SavedVersions(Tensor... saved) {
        int n = 0;
        for (Tensor t : saved) {
            n += t == null ? 0 : 1;
        }
        tensors = new Tensor[n];
        versions = new int[n];
        int k = 0;
        for (Tensor t : saved) {
            if (t != null) {
                tensors[k] = t;
                versions[k++] = t.version.value();
            }
        }
    }

    /** Throws, naming the node, the tensor and both versions, if any saved tensor was written since. */
    void check(String node) {
        for (int i = 0; i < tensors.length; i++) {
            int now = tensors[i].version.value();
            if (now != versions[i]) {
                throw new IllegalStateException("backward: one of the tensors " + node + " saved for its gradient, " + tensors[i].dtype()
                        + " of shape " + Shapes.str(tensors[i].shape) + ", has been modified by an in-place operation: it is at version "
                        + now + ", expected version " + versions[i] + "; modify a clone() of it instead, or call backward before the update");
            }
        }
    }
}
