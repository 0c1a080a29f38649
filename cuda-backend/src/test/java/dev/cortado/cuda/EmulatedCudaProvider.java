package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

/**
 * The CUDA backend on {@link EmulatedRuntime} devices, under the device type
 * {@code cuda-emulated}: the same backend code as on a GPU, for the tests of machines without one.
 */
public final class EmulatedCudaProvider extends EmulatorBackedProvider {
    static final String TYPE = "cuda-emulated";
    public static final Device DEVICE = new Device(TYPE, 0);
    /** A second device, for work that moves between GPUs. */
    public static final Device SECOND = new Device(TYPE, 1);
    /** Small enough that a leak shows as an out-of-memory error, large enough for the suites. */
    static final long CAPACITY = 1L << 30;
    private static volatile CudaBackend backend;

    /** Why the emulated device cannot run here, or null when it can. */
    public static String whyNotBuilt() {
        return KernelEmulator.whyUnavailable();
    }

    /** Bytes the first emulated device's caching allocator has handed out and not taken back. */
    public static long allocatedBytes() {
        return allocatedBytes(0);
    }

    /** Bytes emulated device {@code index}'s caching allocator has handed out and not taken back. */
    public static long allocatedBytes(int index) {
        CudaBackend b = backend;
        return b == null ? 0 : b.stats(index).allocated();
    }

    /** The emulated device's allocator statistics (the device is made on first use). */
    static MemoryStats stats() {
        return backend().stats(0);
    }

    /** The backend serving {@link #DEVICE}, made on first use. */
    static CudaBackend backend() {
        Tensor.zeros(new int[] {1}, DType.FLOAT32, DEVICE).close();
        return backend;
    }

    @Override
    public String deviceType() {
        return TYPE;
    }

    @Override
    public Backend create() {
        CudaBackend b = new CudaBackend(TYPE, 2, index -> new EmulatedRuntime(CAPACITY));
        backend = b;
        return b;
    }
}
