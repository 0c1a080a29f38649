package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.nvrtc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Nvrtc}'s own choices, on the fake NVRTC of the build's fake-CUDA run: which image a
 * device gets, and the cache. NvrtcTest checks the images themselves, on NVIDIA's NVRTC.
 */
class FakeNvrtcTest {
    private static final String NVRTC = "libnvrtc.so.13";

    @BeforeAll
    static void needsTheFakeStack() {
        FakeCuda.assume();
    }

    @AfterEach
    void noFaultLeftOver() {
        FakeCuda.clearAll();
    }

    @Test
    void aDeviceNewerThanNvrtcGetsPtxForTheNewestArchitecture(@TempDir Path cache) {
        int[] archs = Nvrtc.supportedArchs();
        int newest = archs[archs.length - 1];
        Nvrtc.Image image = Nvrtc.compile("cortado_kernels", FakeCuda.kernelsSource(), newest + 9, cache);
        assertFalse(image.cubin());
        assertEquals(newest, image.arch());
        assertEquals("compute_" + newest + " PTX", image.describe());
        byte[] b = image.bytes();
        assertEquals(0, b[b.length - 1], "the driver reads PTX as a NUL-terminated string");
        assertTrue(new String(b, StandardCharsets.US_ASCII).contains(".target sm_" + newest));
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
