package dev.cortado.cuda.driver;

/** Temporary device memory for library calls (cuDNN workspaces), lent by the caching allocator. */
public interface Scratch {
    /** A device buffer of at least {@code bytes}; closing it returns it to the pool. */
    Buffer get(long bytes);

    /** Gives every cached, unused block back to the driver, so a library that allocates on its own finds room. */
    void emptyCache();

    interface Buffer extends AutoCloseable {
        long address();

        @Override
        void close();
    }
}
