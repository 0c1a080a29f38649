package dev.cortado.backend;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;

/**
 * A flat buffer of elements owned by one backend. Opaque to core: only the backend that
 * allocated it looks inside, so device memory and Java arrays fit behind the same type.
 */
public interface Storage {
    Device device();

    DType dtype();

    /** Number of elements. */
    int size();

    /**
     * Gives the memory back now instead of when the garbage collector finds the storage
     * unreachable; every view of it becomes unusable. The default, for storage with nothing to give
     * back early, does nothing. Releasing twice is allowed.
     */
    default void release() {
    }

    /**
     * Whether {@link #release()} gives anything back early. A MemoryScope only tracks storage that
     * does: holding small heap arrays until a scope closes would only keep garbage from being
     * collected.
     */
    default boolean releasable() {
        return false;
    }
}
