package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

import java.util.Objects;

/**
 * Loads the CUDA runtime and driver, cuBLAS, cuDNN and NVRTC through JavaCPP, once, on first
 * use (never in a static initialiser), and says precisely what is missing when that fails.
 */
public final class Libraries {
    /** What the probe found: usable, or why not. */
    public record Probe(boolean usable, int deviceCount, String whyUnusable) {
    }

    private static Probe probe;

    private Libraries() {
    }

    /** Loads the libraries and counts devices; the result is cached, failures included. */
    public static synchronized Probe probe() {
        if (probe == null) {
            probe = load();
        }
        return probe;
    }

    /** The probe itself, uncached; {@link #probe()} is the way in (tests with injected faults probe again). */
    static Probe load() {
        String step = "the CUDA runtime and driver (libcudart.so.13, libcuda.so.1)";
        try {
            Loader.load(cudart.class);
            int[] count = new int[1];
            int status = cudart.cudaGetDeviceCount(count);
            if (status != cudart.cudaSuccess) {
                return new Probe(false, 0, "cudaGetDeviceCount failed: " + cudart.cudaGetErrorString(status).getString()
                        + " (no NVIDIA driver, or no device visible to this process)");
            }
            if (count[0] == 0) {
                return new Probe(false, 0, "no CUDA device is visible (cudaGetDeviceCount = 0; check CUDA_VISIBLE_DEVICES)");
            }
            step = "cuBLAS (libcublas.so.13, libcublasLt.so.13)";
            Loader.load(cublas.class);
            step = "cuDNN 9 (libcudnn.so.9 and its sub-libraries)";
            Loader.load(cudnn.class);
            step = "NVRTC (libnvrtc.so.13)";
            Loader.load(nvrtc.class);
            return new Probe(true, count[0], "");
        } catch (Throwable t) {
            return new Probe(false, 0, "could not load " + step + ": " + causes(t) + "; searched " + searchPath());
        }
    }

    /** The messages of t and its causes, which name the shared object the dynamic linker missed. */
    static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName()).append(": ").append(Objects.toString(c.getMessage(), ""));
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    /** Where JavaCPP and the dynamic linker look, for the error message. */
    static String searchPath() {
        String ld = System.getenv("LD_LIBRARY_PATH");
        String cache;
        try {
            cache = String.valueOf(Loader.getCacheDir());
        } catch (Throwable t) {
            cache = "(unavailable: " + t.getMessage() + ")";
        }
        return "java.library.path=" + System.getProperty("java.library.path") + ", LD_LIBRARY_PATH="
                + (ld == null ? "(unset)" : ld) + ", the system linker cache (ldconfig), and JavaCPP's cache " + cache
                + " (to use the CUDA 13 / cuDNN 9 libraries of a pip PyTorch install, add its nvidia/*/lib folders to LD_LIBRARY_PATH)";
    }
}
