package dev.cortado.cuda;

import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.Libraries;

/**
 * The CUDA backend's public controls, like {@code torch.cuda}: availability, device facts,
 * memory statistics, the cache, synchronisation and the TF32 switch.
 *
 * <pre>{@code
 * if (Cuda.isAvailable()) {
 *     model.to(Device.cuda());
 *     System.out.println(Cuda.memoryStats(0));
 * }
 * }</pre>
 */
public final class Cuda {
    private static CudaBackend backend;

    private Cuda() {
    }

    static synchronized CudaBackend backend() {
        if (backend == null) {
            Libraries.Probe p = Libraries.probe();
            if (!p.usable()) {
                throw new IllegalStateException("CUDA is not usable: " + p.whyUnusable());
            }
            backend = new CudaBackend(p.deviceCount());
        }
        return backend;
    }

    /** Whether the libraries load and at least one device is visible. */
    public static boolean isAvailable() {
        return Libraries.probe().usable();
    }

    /** Why {@link #isAvailable()} is false: the library, the paths searched and the cause. */
    public static String whyUnavailable() {
        return Libraries.probe().whyUnusable();
    }

    public static int deviceCount() {
        return Libraries.probe().deviceCount();
    }

    /** Name, compute capability, memory and the driver, runtime, cuBLAS, cuDNN and NVRTC versions of a device. */
    public static Gpu.Info info(int index) {
        return backend().info(index);
    }

    /** Time a profiled device spent on calls of one name: a kernel, a cuBLAS or cuDNN call, a copy. */
    public record KernelTime(String name, long calls, double totalMs) {
    }

    /**
     * The kernels, library calls and copies a device ran since the last call (or since it
     * started), with their counts and device time, most time first; counting starts anew. Needs
     * {@code -Dcortado.cuda.profile=true} when the backend starts: each call is then bracketed by
     * two events, which costs the host a few microseconds per call.
     */
    public static java.util.List<KernelTime> profile(int index) {
        return backend().profile(index);
    }

    public static MemoryStats memoryStats(int index) {
        return backend().stats(index);
    }

    /** Starts {@link MemoryStats#peakAllocated()} anew from what is allocated now, as {@code torch.cuda.reset_peak_memory_stats}. */
    public static void resetPeakMemoryStats(int index) {
        backend().resetPeak(index);
    }

    /** Gives cached, unused device memory back to the driver (for other processes, or cuDNN's own allocations). */
    public static void emptyCache(int index) {
        backend().emptyCache(index);
    }

    /** Waits for every queued kernel and copy of the device: for timing, never needed for correctness. */
    public static void synchronize(int index) {
        backend().synchronize(index);
    }

    /**
     * Lets cuBLAS and cuDNN use TF32 tensor cores (off by default, so results stay float32; also
     * {@code -Dcortado.cuda.tf32=true}).
     */
    public static void setTf32(boolean on) {
        if (isAvailable()) {
            backend().setTf32(on);
        } else {
            CudaSettings.setTf32(on);
        }
    }

    /**
     * Lets convolutions run only cuDNN algorithms that give the same bits on every run, as
     * {@code torch.backends.cudnn.deterministic = True} does (off by default, as in PyTorch: the
     * fastest algorithm may add with atomics; also {@code -Dcortado.cuda.deterministic=true}).
     * Cortado's own kernels and cuBLAS's products are deterministic either way, so with it on a
     * seeded training run repeats bit for bit on the same GPU.
     */
    public static void setDeterministic(boolean on) {
        if (isAvailable()) {
            backend().setDeterministic(on);
        } else {
            CudaSettings.setDeterministic(on);
        }
    }
}
