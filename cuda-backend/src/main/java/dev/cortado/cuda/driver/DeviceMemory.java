package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

/**
 * Raw device memory of the current device: allocation, release and copies by address. The
 * caching allocator above it decides when to call these; tensors never do.
 */
public final class DeviceMemory {
    private DeviceMemory() {
    }

    /** A new block of {@code bytes}, or 0 when the device is out of memory (other failures throw). */
    public static long malloc(long bytes) {
        Pointer p = new Pointer();
        int status = cudart.cudaMalloc(p, bytes);
        if (status == cudart.cudaErrorMemoryAllocation) {
            cudart.cudaGetLastError();
            return 0;
        }
        Check.runtime(status, "cudaMalloc(" + bytes + " bytes)");
        return p.address();
    }

    public static void free(long address) {
        Check.runtime(cudart.cudaFree(new Address(address)), "cudaFree");
    }

    public static void copyDeviceToDevice(long dst, long src, long bytes) {
        if (bytes > 0) {
            Check.runtime(cudart.cudaMemcpy(new Address(dst), new Address(src), bytes, cudart.cudaMemcpyDeviceToDevice),
                    "cudaMemcpy device to device");
        }
    }

    /** Blocks until every queued kernel and copy of the current device has finished. */
    public static void synchronize() {
        Check.runtime(cudart.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }
}
