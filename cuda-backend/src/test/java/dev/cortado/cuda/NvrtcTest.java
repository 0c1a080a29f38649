package dev.cortado.cuda;

import dev.cortado.cuda.driver.CudaException;
import dev.cortado.cuda.driver.Nvrtc;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real NVRTC compiles kernels.cu, with no GPU needed: wherever libnvrtc loads (a CUDA
 * toolkit, a pip PyTorch's libraries on LD_LIBRARY_PATH, or {@code mvn -Pcuda-redist}). Elsewhere
 * it skips, printing why.
 */
class NvrtcTest {
    private static final int HOPPER = 90;
    private static final String TINY = "extern \"C\" __global__ void twice(float* x) { x[threadIdx.x] *= 2.0f; }\n";

    @BeforeAll
    static void nvrtcLoads() {
        // The probe first: a failed load leaves the presets' classes unusable, and a later probe
        // would report that instead of the library the linker missed.
        Cuda.isAvailable();
        try {
            Nvrtc.load();
        } catch (Throwable t) {
            // The presets' JNI glue links libcuda.so.1, so NVRTC loads only where the NVIDIA driver is installed.
            String why = "NVRTC does not load (" + t.getMessage() + "; " + Cuda.whyUnavailable()
                    + "); it needs libnvrtc.so.13, e.g. from mvn -Pcuda-redist, and the driver's libcuda.so.1";
            System.out.println("NVRTC tests skipped: " + why);
            Assumptions.abort(why);
        }
    }

    @Test
    void kernelsCompileToMachineCodeForHopper(@TempDir Path cache) {
        Nvrtc.Image image = Nvrtc.compile("cortado_kernels", CudaDevice.source(), HOPPER, cache);
        assertTrue(image.cubin(), "NVRTC knows sm_90, so the image should be machine code: " + image.describe());
        assertEquals(HOPPER, image.arch());
        Set<String> sections = elfSectionNames(image.bytes());
        for (String kernel : KernelSourceTest.LAUNCHED) {
            assertTrue(sections.contains(".text." + kernel), "no code for kernel " + kernel + " in the CUBIN");
        }
    }

    @Test
    void aDeviceNewerThanNvrtcGetsPtxForTheNewestArchitecture(@TempDir Path cache) {
        String ptx = ptxForADeviceNewerThanNvrtc(CudaDevice.source(), cache);
        for (String kernel : KernelSourceTest.LAUNCHED) {
            assertTrue(ptx.contains(".entry " + kernel + "("), "no entry for kernel " + kernel + " in the PTX");
        }
    }

    /** The image {@code source} compiles to for a device newer than every architecture NVRTC knows: PTX for the newest, as text. */
    static String ptxForADeviceNewerThanNvrtc(String source, Path cache) {
        int[] archs = Nvrtc.supportedArchs();
        int newest = archs[archs.length - 1];
        Nvrtc.Image image = Nvrtc.compile("cortado_kernels", source, newest + 1, cache);
        assertFalse(image.cubin());
        assertEquals(newest, image.arch());
        assertEquals("compute_" + newest + " PTX", image.describe());
        byte[] b = image.bytes();
        assertEquals(0, b[b.length - 1], "the driver reads PTX as a NUL-terminated string");
        String ptx = new String(b, 0, b.length - 1, StandardCharsets.US_ASCII);
        assertTrue(ptx.contains(".target sm_" + newest), "PTX for the wrong target:\n" + ptx.substring(0, Math.min(400, ptx.length())));
        return ptx;
    }

    @Test
    void aDeviceOlderThanEveryArchitectureIsRefusedByName(@TempDir Path cache) {
        CudaException e = assertThrows(CudaException.class, () -> Nvrtc.compile("tiny", TINY, 30, cache));
        assertTrue(e.getMessage().contains("tiny.cu") && e.getMessage().contains("sm_30") && e.getMessage().contains("supports only"), e.getMessage());
    }

    @Test
    void aCompileErrorCarriesTheFileNameAndTheCompilerLog(@TempDir Path cache) {
        String broken = "extern \"C\" __global__ void k(float* x) { x[0] = undefined_thing; }\n";
        CudaException e = assertThrows(CudaException.class, () -> Nvrtc.compile("broken", broken, HOPPER, cache));
        assertTrue(e.getMessage().contains("broken.cu") && e.getMessage().contains("undefined_thing")
                && e.getMessage().contains("--gpu-architecture=sm_90"), e.getMessage());
    }

    @Test
    void theSecondCompileOfTheSameSourceIsReadFromTheCache(@TempDir Path cache) throws IOException {
        byte[] first = Nvrtc.compile("tiny", TINY, HOPPER, cache).bytes();
        List<Path> files = list(cache);
        assertEquals(1, files.size(), files.toString());
        assertArrayEquals(first, Files.readAllBytes(files.get(0)));
        byte[] marker = "cached".getBytes(StandardCharsets.US_ASCII);
        Files.write(files.get(0), marker);
        assertArrayEquals(marker, Nvrtc.compile("tiny", TINY, HOPPER, cache).bytes(), "the cached image was not used");
        Nvrtc.compile("tiny", TINY.replace("2.0f", "3.0f"), HOPPER, cache);
        assertEquals(2, list(cache).size(), "a changed source must not reuse the old image");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** The section names of a 64-bit little-endian ELF file, which is what a CUBIN is. */
    private static Set<String> elfSectionNames(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464c457f, b.getInt(0), "not an ELF file");
        assertEquals(2, b.get(4), "not a 64-bit ELF file");
        assertEquals(190, b.getShort(18), "not a CUDA ELF file (e_machine)");
        int shoff = (int) b.getLong(0x28);
        int shentsize = b.getShort(0x3a);
        int shnum = b.getShort(0x3c);
        int shstrndx = b.getShort(0x3e);
        int names = (int) b.getLong(shoff + shstrndx * shentsize + 0x18);
        Set<String> out = new HashSet<>();
        for (int i = 0; i < shnum; i++) {
            int start = names + b.getInt(shoff + i * shentsize);
            int end = start;
            while (elf[end] != 0) {
                end++;
            }
            out.add(new String(elf, start, end - start, StandardCharsets.US_ASCII));
        }
        return out;
    }
}
