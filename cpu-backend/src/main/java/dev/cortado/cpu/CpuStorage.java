package dev.cortado.cpu;

import dev.cortado.backend.Storage;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;

/** Heap arrays: float[] for float32, long[] for int64. */
final class CpuStorage implements Storage {
    final DType dtype;
    final float[] f;
    final long[] l;

    CpuStorage(float[] f) {
        this.dtype = DType.FLOAT32;
        this.f = f;
        this.l = null;
    }

    CpuStorage(long[] l) {
        this.dtype = DType.INT64;
        this.f = null;
        this.l = l;
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
        return f != null ? f.length : l.length;
    }
}
