package dev.cortado.cpu;

import dev.cortado.backend.Storage;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;

/**
 * Heap arrays: float[] for float32, long[] for int64. Large arrays from {@link CpuPool} go back
 * to it when released; the storage is unusable afterwards, as released device memory is.
 */
final class CpuStorage implements Storage {
    private final DType dtype;
    private final int size;
    private final boolean pooled;
    private float[] f;
    private long[] l;

    CpuStorage(float[] f) {
        this(f, false);
    }

    CpuStorage(long[] l) {
        this(l, false);
    }

    /** {@code pooled}: the array may be handed to the pool on release (nobody else holds it). */
    CpuStorage(float[] f, boolean pooled) {
        this.dtype = DType.FLOAT32;
        this.f = f;
        this.size = f.length;
        this.pooled = pooled && f.length >= CpuPool.MIN_ELEMENTS;
    }

    CpuStorage(long[] l, boolean pooled) {
        this.dtype = DType.INT64;
        this.l = l;
        this.size = l.length;
        this.pooled = pooled && l.length >= CpuPool.MIN_ELEMENTS;
    }

    float[] floats() {
        if (f == null) {
            throw released();
        }
        return f;
    }

    long[] longs() {
        if (l == null) {
            throw released();
        }
        return l;
    }

    private IllegalStateException released() {
        return new IllegalStateException("cpu: this tensor's storage (" + size + " " + dtype + " elements) was released: it was made inside "
                + "a MemoryScope that has closed, or closed with Tensor.close(); keep it with MemoryScope.keep or hand it out with handOut");
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    /** Gives a pooled array back for reuse; releasing twice is allowed. */
    @Override
    public synchronized void release() {
        if (!pooled) {
            return;
        }
        if (f != null) {
            CpuPool.give(f);
            f = null;
        } else if (l != null) {
            CpuPool.give(l);
            l = null;
        }
    }

    /** Only pooled arrays have anything to give back early; small ones are left to the garbage collector. */
    @Override
    public boolean releasable() {
        return pooled;
    }
}
