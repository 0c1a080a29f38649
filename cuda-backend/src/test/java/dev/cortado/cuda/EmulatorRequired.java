package dev.cortado.cuda;

import org.junit.jupiter.api.Assumptions;

/** Skips an emulated-GPU test class, with the reason printed once, where the kernel emulator cannot be built. */
final class EmulatorRequired {
    private static boolean printed;

    private EmulatorRequired() {
    }

    static synchronized void assume() {
        String why = KernelEmulator.whyUnavailable();
        if (why != null && !printed) {
            System.out.println("emulated CUDA tests skipped: " + why);
            printed = true;
        }
        Assumptions.assumeTrue(why == null, () -> "the kernel emulator cannot be built here: " + why);
    }
}
