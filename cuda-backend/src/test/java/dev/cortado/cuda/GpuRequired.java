package dev.cortado.cuda;

import org.junit.jupiter.api.Assumptions;

/** Skips a GPU test class with the reason printed, so a CPU-only run says why nothing ran on a GPU. */
final class GpuRequired {
    private static boolean printed;

    private GpuRequired() {
    }

    static synchronized void assume() {
        if (!Cuda.isAvailable()) {
            if (!printed) {
                System.out.println("CUDA tests skipped: " + Cuda.whyUnavailable());
                printed = true;
            }
            Assumptions.abort("CUDA is not usable here: " + Cuda.whyUnavailable());
        }
    }
}
