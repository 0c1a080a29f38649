package dev.cortado.cpu;

/**
 * A per-thread scratch array that grows to the largest size asked of it: kernels reuse it call
 * after call instead of allocating (and zeroing) working space every time. Its contents are
 * whatever the last user left.
 */
final class Scratch {
    private final ThreadLocal<float[]> cache = ThreadLocal.withInitial(() -> new float[0]);

    /** This thread's array, at least {@code size} long. */
    float[] get(int size) {
        float[] c = cache.get();
        if (c.length < size) {
            c = new float[size];
            cache.set(c);
        }
        return c;
    }
}
