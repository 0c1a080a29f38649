package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;

/** Device selection and the facts that gpu-check prints. */
public final class Gpu {
    /** What a device is, and the versions of the stack that drives it. */
    public record Info(int index, String name, int major, int minor, long totalBytes, int multiprocessors, int driverVersion,
                       int runtimeVersion, int cublasVersion, long cudnnVersion, String nvrtcVersion) {
    }

    private static final ThreadLocal<Integer> BOUND = new ThreadLocal<>();

    private Gpu() {
    }

    /**
     * Makes {@code index} the current device of the calling thread (and its primary context
     * current, which the driver-API kernel launches need); cheap when it already is.
     */
    public static void bind(int index) {
        Integer bound = BOUND.get();
        if (bound == null || bound != index) {
            Check.runtime(cudart.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
            BOUND.set(index);
        }
    }

    /** Compute capability as {major, minor}. */
    public static int[] capability(int index) {
        int[] major = new int[1];
        int[] minor = new int[1];
        Check.runtime(cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, index), "cudaDeviceGetAttribute");
        Check.runtime(cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, index), "cudaDeviceGetAttribute");
        return new int[] {major[0], minor[0]};
    }

    public static Info info(int index, Blas blas) {
        bind(index);
        try (cudaDeviceProp p = new cudaDeviceProp()) {
            Check.runtime(cudart.cudaGetDeviceProperties(p, index), "cudaGetDeviceProperties(" + index + ")");
            int[] driver = new int[1];
            int[] runtime = new int[1];
            Check.runtime(cudart.cudaDriverGetVersion(driver), "cudaDriverGetVersion");
            Check.runtime(cudart.cudaRuntimeGetVersion(runtime), "cudaRuntimeGetVersion");
            int[] major = new int[1];
            int[] minor = new int[1];
            Check.nvrtc(org.bytedeco.cuda.global.nvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
            return new Info(index, p.name().getString(), p.major(), p.minor(), p.totalGlobalMem(), p.multiProcessorCount(), driver[0],
                    runtime[0], blas.version(), Dnn.version(), major[0] + "." + minor[0]);
        }
    }
}
