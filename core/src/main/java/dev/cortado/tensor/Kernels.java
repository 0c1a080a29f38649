package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Backends;

/** Glue between ops and backends: device checks, output allocation, raw (non-autograd) views. */
final class Kernels {
    private Kernels() {
    }

    static Backend backend(Tensor t) {
        return Backends.of(t.device());
    }

    /** The one device all tensors live on; tensors on two devices are an error, never a silent copy. */
    static Device sameDevice(String op, Tensor... ts) {
        Device d = ts[0].device();
        for (Tensor t : ts) {
            if (!t.device().equals(d)) {
                throw new IllegalArgumentException(op + ": expected all tensors on the same device, got " + d + " and " + t.device()
                        + " (move one with .to(device))");
            }
        }
        return d;
    }

    static Tensor empty(int[] shape, DType dtype, Device device) {
        int n = Shapes.numel(shape);
        return fresh(Backends.of(device).allocate(device, dtype, n), shape);
    }

    /** A contiguous tensor over newly allocated storage, which the current {@link MemoryScope} (if any) will free. */
    static Tensor fresh(dev.cortado.backend.Storage storage, int[] shape) {
        MemoryScope.track(storage);
        BackwardPass.made(storage);
        return new Tensor(storage, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    static Tensor emptyLike(Tensor t, DType dtype) {
        return empty(t.shape, dtype, t.device());
    }

    /** A view over t's storage with no autograd link. */
    static Tensor view(Tensor t, int[] shape, int[] strides, int offset) {
        return new Tensor(t.storage, shape, strides, offset, t.version);
    }

    /** t broadcast to shape through zero strides (no copy, no autograd); shape must be a broadcast of t's. */
    static Tensor broadcastTo(Tensor t, int[] shape) {
        if (java.util.Arrays.equals(t.shape, shape)) {
            return t;
        }
        int[] strides = new int[shape.length];
        int lead = shape.length - t.shape.length;
        for (int i = 0; i < shape.length; i++) {
            int j = i - lead;
            strides[i] = j < 0 || t.shape[j] == 1 && shape[i] != 1 ? 0 : t.strides[j];
        }
        return new Tensor(t.storage, shape.clone(), strides, t.offset, t.version);
    }
}
