package dev.cortado.cuda;

import dev.cortado.cuda.driver.FakeCuda;
import dev.cortado.cuda.driver.Nvrtc;
import org.bytedeco.cuda.global.nvrtc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Nvrtc}'s own choices, on the fake NVRTC of the build's fake-CUDA run: which image a
 * device gets, and the cache. NvrtcTest checks the images themselves, on NVIDIA's NVRTC.
 */
@ExtendWith(FakeCuda.class)
class FakeNvrtcTest {
    private static final String NVRTC = "libnvrtc.so.13";

    @Test
    void aDeviceNewerThanNvrtcGetsPtxForTheNewestArchitecture(@TempDir Path cache) {
        NvrtcTest.ptxForADeviceNewerThanNvrtc(FakeCuda.kernelsSource(), cache);
    }

    @Test
    void aDeviceOlderThanEveryArchitectureIsRefusedByName(@TempDir Path cache) {
        assertMessage(() -> Nvrtc.compile("cortado_kernels", FakeCuda.kernelsSource(), 50, cache),
                "cannot compile cortado_kernels.cu for sm_50", "supports only [75, ", "all newer than the device");
    }

    /** The second compile never reaches NVRTC: a fault waiting in NVRTC's next call stays unused. */
    @Test
    void theSecondCompileIsReadFromTheCache(@TempDir Path cache) throws IOException {
        String source = FakeCuda.kernelsSource();
        byte[] first = Nvrtc.compile("cortado_kernels", source, 90, cache).bytes();
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.count());
        }
        FakeCuda.failOnce(NVRTC, "nvrtcGetCUBINSize", nvrtc.NVRTC_ERROR_INVALID_INPUT);
        assertArrayEquals(first, Nvrtc.compile("cortado_kernels", source, 90, cache).bytes());
        // The fault is still waiting: the cached compile did not call NVRTC.
        assertMessage(() -> Nvrtc.compile("cortado_kernels", source, 90, cache.resolve("elsewhere")), "nvrtcGetCUBINSize failed");
    }

    /** A cache folder that cannot be made costs the cache, not the compile. */
    @Test
    void anUnwritableCacheStillCompiles(@TempDir Path dir) throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("file"), "");
        Nvrtc.Image image = Nvrtc.compile("cortado_kernels", FakeCuda.kernelsSource(), 90, notAFolder.resolve("cache"));
        assertTrue(image.cubin() && image.bytes().length > 4);
    }
}
