package dev.cortado.cuda;

/** Process-wide switches of the CUDA backend. */
final class CudaSettings {
    private static volatile boolean tf32 = Boolean.getBoolean("cortado.cuda.tf32");

    private CudaSettings() {
    }

    static boolean tf32() {
        return tf32;
    }

    static void setTf32(boolean on) {
        tf32 = on;
    }

    /** Whether GPUs time every call ({@link ProfilingRuntime}); read when the backend starts. */
    static boolean profile() {
        return Boolean.getBoolean("cortado.cuda.profile");
    }
}
