package dev.cortado.cuda;

import dev.cortado.cuda.driver.FakeCuda;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a GPU test class with the reason printed, so a CPU-only run says why nothing ran on a GPU.
 *
 * <p>In the build's fake-CUDA run ({@code -Dcortado.test.fakecuda=DIR}, the fakes' folder) the
 * classes run on the fake stack: they skip only where it could not be built, with the reason its
 * build wrote, and fail where it was built but CUDA does not load, since that is a bug here.
 */
public final class GpuRequired {
    private static boolean printed;

    private GpuRequired() {
    }

    public static synchronized void assume() {
        String fake = FakeCuda.dir();
        if (fake != null) {
            String why = FakeCuda.whyNotBuilt();
            if (why != null) {
                printOnce("CUDA tests on the fake CUDA stack skipped: " + why);
                Assumptions.abort("the fake CUDA stack was not built: " + why);
            }
            printOnce("CUDA tests run on the fake CUDA stack in " + fake + " (no GPU: host memory, kernels in the kernel emulator)");
        }
        if (!Cuda.isAvailable()) {
            if (fake != null) {
                throw new AssertionError("the fake CUDA stack was built in " + fake + " but CUDA does not load from it: " + Cuda.whyUnavailable());
            }
            printOnce("CUDA tests skipped: " + Cuda.whyUnavailable());
            Assumptions.abort("CUDA is not usable here: " + Cuda.whyUnavailable());
        }
    }

    private static void printOnce(String line) {
        if (!printed) {
            System.out.println(line);
            printed = true;
        }
    }
}
