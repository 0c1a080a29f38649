package dev.cortado.cuda;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Skips a GPU test class with the reason printed, so a CPU-only run says why nothing ran on a GPU.
 *
 * <p>In the build's fake-CUDA run ({@code -Dcortado.test.fakecuda=DIR}, the fakes' folder) the
 * classes run on the fake stack: they skip only where it could not be built, with the reason its
 * build wrote, and fail where it was built but CUDA does not load, since that is a bug here.
 */
final class GpuRequired {
    private static boolean printed;

    private GpuRequired() {
    }

    static synchronized void assume() {
        String fake = System.getProperty("cortado.test.fakecuda");
        if (fake != null) {
            assumeFakeStack(Path.of(fake));
        }
        if (!Cuda.isAvailable()) {
            if (fake != null) {
                throw new AssertionError("the fake CUDA stack was built in " + fake + " but CUDA does not load from it: " + Cuda.whyUnavailable());
            }
            printOnce("CUDA tests skipped: " + Cuda.whyUnavailable());
            Assumptions.abort("CUDA is not usable here: " + Cuda.whyUnavailable());
        }
    }

    private static void assumeFakeStack(Path dir) {
        Path unavailable = dir.resolve("unavailable.txt");
        if (Files.isRegularFile(unavailable)) {
            String why;
            try {
                why = Files.readString(unavailable).strip();
            } catch (IOException e) {
                why = "cannot read " + unavailable + ": " + e;
            }
            printOnce("CUDA tests on the fake CUDA stack skipped: " + why);
            Assumptions.abort("the fake CUDA stack was not built: " + why);
        }
        printOnce("CUDA tests run on the fake CUDA stack in " + dir + " (no GPU: host memory, kernels in the kernel emulator)");
    }

    private static void printOnce(String line) {
        if (!printed) {
            System.out.println(line);
            printed = true;
        }
    }
}
