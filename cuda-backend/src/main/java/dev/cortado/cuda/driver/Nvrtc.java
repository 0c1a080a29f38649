package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * CUDA C compiled by NVRTC into a module image, cached on disk. NVRTC needs no GPU and no driver,
 * so this runs (and is tested) on any machine where libnvrtc loads.
 *
 * <p>Where NVRTC knows the device's own architecture the image is a CUBIN: machine code, which a
 * driver of the same CUDA major version loads whatever its minor version. Only for a device newer
 * than NVRTC is the image PTX for the newest architecture NVRTC knows, for the driver to compile;
 * that needs a driver at least as new as NVRTC, since PTX carries NVRTC's ISA version.
 */
public final class Nvrtc {
    private static final Logger LOG = LoggerFactory.getLogger(Nvrtc.class);

    /** A compiled module: CUBIN machine code for {@code arch}, or PTX text for the driver to compile. */
    public record Image(byte[] bytes, boolean cubin, int arch) {
        /** "sm_90 CUBIN" or "compute_90 PTX", for messages. */
        public String describe() {
            return cubin ? "sm_" + arch + " CUBIN" : "compute_" + arch + " PTX";
        }
    }

    private Nvrtc() {
    }

    /** Loads libnvrtc; throws with the linker's message where it cannot. */
    public static void load() {
        Loader.load(nvrtc.class);
    }

    /** NVRTC's version as {major, minor}. */
    public static int[] version() {
        int[] major = new int[1];
        int[] minor = new int[1];
        Check.nvrtc(nvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return new int[] {major[0], minor[0]};
    }

    /** The architectures this NVRTC compiles for, as 10 * major + minor, ascending. */
    public static int[] supportedArchs() {
        int[] count = new int[1];
        Check.nvrtc(nvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        Check.nvrtc(nvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        Arrays.sort(archs);
        return archs;
    }

    /**
     * Compiles {@code source} (called {@code name}.cu in messages) for a device of compute
     * capability {@code device} (10 * major + minor), or reads the image that an earlier call with
     * the same source, options and NVRTC version left in {@code cacheDir}.
     */
    public static Image compile(String name, String source, int device, Path cacheDir) {
        int[] archs = supportedArchs();
        boolean cubin = Arrays.stream(archs).anyMatch(a -> a == device);
        int arch = cubin ? device : Arrays.stream(archs).filter(a -> a < device).max().orElseThrow(() -> new CudaException(
                "NVRTC " + versionString() + " cannot compile " + name + ".cu for sm_" + device
                        + ": it supports only " + Arrays.toString(archs) + ", all newer than the device"));
        String[] options = {"--gpu-architecture=" + (cubin ? "sm_" : "compute_") + arch, "--std=c++17"};
        String key = sha256(source + '\0' + String.join(" ", options) + '\0' + versionString());
        Path file = cacheDir.resolve(name + "-" + key + (cubin ? ".cubin" : ".ptx"));
        try {
            if (Files.isRegularFile(file)) {
                return new Image(Files.readAllBytes(file), cubin, arch);
            }
        } catch (IOException e) {
            LOG.debug("cannot read cached module {}: {}", file, e.toString());
        }
        long t0 = System.nanoTime();
        byte[] bytes = run(name, source, options, cubin);
        LOG.info("compiled {}.cu with NVRTC {} ({}) in {} ms", name, versionString(), options[0], (System.nanoTime() - t0) / 1_000_000);
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, name, ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("cannot cache module at {}: {}", file, e.toString());
        }
        return new Image(bytes, cubin, arch);
    }

    private static String versionString() {
        int[] v = version();
        return v[0] + "." + v[1];
    }

    private static byte[] run(String name, String source, String[] options, boolean cubin) {
        _nvrtcProgram program = new _nvrtcProgram();
        try (BytePointer src = new BytePointer(source); BytePointer file = new BytePointer(name + ".cu")) {
            Check.nvrtc(nvrtc.nvrtcCreateProgram(program, src, file, 0, (PointerPointer<?>) null, (PointerPointer<?>) null),
                    "nvrtcCreateProgram(" + name + ")");
        }
        try (PointerPointer<BytePointer> opts = new PointerPointer<>(options)) {
            int status = nvrtc.nvrtcCompileProgram(program, options.length, opts);
            if (status != nvrtc.NVRTC_SUCCESS) {
                throw new CudaException("NVRTC could not compile " + name + ".cu (" + String.join(" ", options) + "): "
                        + nvrtc.nvrtcGetErrorString(status).getString() + "\n" + log(program));
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                Check.nvrtc(cubin ? nvrtc.nvrtcGetCUBINSize(program, size) : nvrtc.nvrtcGetPTXSize(program, size),
                        cubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize");
                try (BytePointer image = new BytePointer(size.get())) {
                    Check.nvrtc(cubin ? nvrtc.nvrtcGetCUBIN(program, image) : nvrtc.nvrtcGetPTX(program, image),
                            cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX");
                    byte[] bytes = new byte[(int) size.get()];
                    image.get(bytes);
                    return bytes;
                }
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS || size.get() <= 1) {
                return "(no compiler log)";
            }
            try (BytePointer log = new BytePointer(size.get())) {
                nvrtc.nvrtcGetProgramLog(program, log);
                return log.getString();
            }
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
