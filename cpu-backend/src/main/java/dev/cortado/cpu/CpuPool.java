package dev.cortado.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Arrays given back by released storage (the end of a MemoryScope, {@code Tensor.close()}),
 * handed out again for the same size. A training step allocates the same sizes every step, about
 * a gigabyte per ResNet-20 step at batch 128; a new Java array is zeroed by the allocating thread
 * (the storage is uninitialised by contract, so the zeros are wasted), and that serial zeroing was
 * a fifth of the two-thread step while the other core waited. Arrays of at least
 * {@link #MIN_ELEMENTS} are pooled: a small layer's activations are zeroed all the same (with
 * 16k floats as the bound, LeNet's 120- and 84-wide layers at batch 128 still allocated 885 kB a
 * step, against 257 kB with 2k); smaller ones come from the thread's allocation buffer. The pool
 * holds at most a quarter of the maximum heap; beyond that, released arrays are left to the
 * garbage collector.
 *
 * <p>With {@code -Dcortado.cpu.poison=true} every allocation is filled with NaN (int64:
 * {@code Long.MIN_VALUE}), so a kernel that reads an output element before writing it, or leaves
 * one unwritten, fails its tests instead of depending on Java's zeroing.
 */
final class CpuPool {
    static final int MIN_ELEMENTS = 2 * 1024;
    private static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 4;
    static final boolean POISON = Boolean.getBoolean("cortado.cpu.poison");

    private static final SizeKeyedQueues<float[]> FLOATS = new SizeKeyedQueues<>();
    private static final SizeKeyedQueues<long[]> LONGS = new SizeKeyedQueues<>();
    private static long pooledBytes;

    private CpuPool() {
    }

    static float[] floats(int size) {
        float[] a = null;
        if (size >= MIN_ELEMENTS) {
            synchronized (CpuPool.class) {
                ArrayDeque<float[]> q = FLOATS.get(size);
                a = q == null ? null : q.pollLast();
                if (a != null) {
                    pooledBytes -= 4L * size;
                }
            }
        }
        if (a == null) {
            a = new float[size];
        }
        if (POISON) {
            Arrays.fill(a, Float.NaN);
        }
        return a;
    }

    static long[] longs(int size) {
        long[] a = null;
        if (size >= MIN_ELEMENTS) {
            synchronized (CpuPool.class) {
                ArrayDeque<long[]> q = LONGS.get(size);
                a = q == null ? null : q.pollLast();
                if (a != null) {
                    pooledBytes -= 8L * size;
                }
            }
        }
        if (a == null) {
            a = new long[size];
        }
        if (POISON) {
            Arrays.fill(a, Long.MIN_VALUE);
        }
        return a;
    }

    static synchronized void give(float[] a) {
        if (pooledBytes + 4L * a.length <= MAX_BYTES) {
            FLOATS.getOrCreate(a.length).addLast(a);
            pooledBytes += 4L * a.length;
        }
    }

    static synchronized void give(long[] a) {
        if (pooledBytes + 8L * a.length <= MAX_BYTES) {
            LONGS.getOrCreate(a.length).addLast(a);
            pooledBytes += 8L * a.length;
        }
    }

    /** Bytes held for reuse (for tests). */
    static synchronized long pooledBytes() {
        return pooledBytes;
    }
}
