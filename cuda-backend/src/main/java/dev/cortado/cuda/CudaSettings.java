package dev.cortado.cuda;

/** Process-wide switches of the CUDA backend. */
final class CudaSettings {
    private static volatile boolean tf32 = Boolean.getBoolean("cortado.cuda.tf32");
    private static volatile boolean deterministic = Boolean.getBoolean("cortado.cuda.deterministic");
    private static volatile boolean reportLeaks = "report".equals(System.getProperty("cortado.cuda.leaks"));

    private CudaSettings() {
    }

    static boolean tf32() {
        return tf32;
    }

    static void setTf32(boolean on) {
        tf32 = on;
    }

    static boolean deterministic() {
        return deterministic;
    }

    static void setDeterministic(boolean on) {
        deterministic = on;
    }

    /**
     * Whether storages remember where they were allocated, so that one the garbage collector
     * frees (nobody closed it) is logged with that stack: {@code -Dcortado.cuda.leaks=report}.
     * Read at each allocation.
     */
    static boolean reportLeaks() {
        return reportLeaks;
    }

    static void setReportLeaks(boolean on) {
        reportLeaks = on;
    }

    /** Whether GPUs time every call ({@link ProfilingRuntime}); read when the backend starts. */
    static boolean profile() {
        return Boolean.getBoolean("cortado.cuda.profile");
    }
}
