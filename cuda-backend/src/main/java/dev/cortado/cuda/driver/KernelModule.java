package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CUDA C source compiled by NVRTC for one device's architecture, loaded as a module, with its
 * kernels looked up once. The PTX is cached on disk under {@code ~/.cache/cortado/cuda}, keyed by
 * the source, the options and the NVRTC version, so compilation happens once per machine.
 */
public final class KernelModule {
    private static final Logger LOG = LoggerFactory.getLogger(KernelModule.class);

    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new ConcurrentHashMap<>();
    private final String name;

    /** Compiles (or reads from the cache) and loads {@code source} for compute capability {@code major.minor}. */
    public KernelModule(String name, String source, int major, int minor) {
        this.name = name;
        int arch = supportedArch(major * 10 + minor);
        String[] options = {"--gpu-architecture=compute_" + arch, "--std=c++17"};
        String ptx = cachedPtx(source, options);
        try (BytePointer image = new BytePointer(ptx)) {
            Check.driver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData(" + name + ", compute_" + arch + ")");
        }
    }

    /** The newest architecture NVRTC knows that does not exceed the device's. */
    private static int supportedArch(int device) {
        int[] count = new int[1];
        Check.nvrtc(nvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        Check.nvrtc(nvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        int best = -1;
        for (int a : archs) {
            if (a <= device && a > best) {
                best = a;
            }
        }
        if (best < 0) {
            throw new CudaException("NVRTC supports none of the architectures up to sm_" + device + " (it knows "
                    + java.util.Arrays.toString(archs) + ")");
        }
        return best;
    }

    private String cachedPtx(String source, String[] options) {
        int[] major = new int[1];
        int[] minor = new int[1];
        Check.nvrtc(nvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        String key = sha256(source + '\0' + String.join(" ", options) + '\0' + major[0] + "." + minor[0]);
        Path file = Path.of(System.getProperty("user.home"), ".cache", "cortado", "cuda", name + "-" + key + ".ptx");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.debug("cannot read cached PTX {}: {}", file, e.toString());
        }
        long t0 = System.nanoTime();
        String ptx = compile(source, options);
        LOG.info("compiled {} with NVRTC {}.{} ({}) in {} ms", name, major[0], minor[0], options[0], (System.nanoTime() - t0) / 1_000_000);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), name, ".tmp");
            Files.writeString(tmp, ptx, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("cannot cache PTX at {}: {}", file, e.toString());
        }
        return ptx;
    }

    private String compile(String source, String[] options) {
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
                Check.nvrtc(nvrtc.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize");
                try (BytePointer ptx = new BytePointer(size.get())) {
                    Check.nvrtc(nvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
                    return ptx.getString();
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

    /**
     * Launches {@code kernel} on the default stream with a 1-d grid; {@code args} follow the
     * kernel's parameter list, built with {@link LaunchArgs}.
     */
    public void launch(String kernel, int grid, int block, LaunchArgs args) {
        CUfunc_st f = functions.computeIfAbsent(kernel, k -> {
            CUfunc_st fn = new CUfunc_st();
            Check.driver(cudart.cuModuleGetFunction(fn, module, k), "cuModuleGetFunction(" + k + ")");
            return fn;
        });
        try (PointerPointer<?> params = args.pointers()) {
            Check.driver(cudart.cuLaunchKernel(f, grid, 1, 1, block, 1, 1, 0, (CUstream_st) null, params, (PointerPointer<?>) null),
                    "cuLaunchKernel(" + kernel + ", grid " + grid + ", block " + block + ")");
        } finally {
            args.close();
        }
    }
}
