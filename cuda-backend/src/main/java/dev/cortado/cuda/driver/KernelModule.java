package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CUDA C source compiled by NVRTC for one device's architecture ({@link Nvrtc}, cached under
 * {@code ~/.cache/cortado/cuda}, or the folder {@code -Dcortado.cuda.cache} names), loaded as a
 * module, with its kernels looked up once.
 */
public final class KernelModule {
    private static final Path CACHE = Path.of(System.getProperty("cortado.cuda.cache",
            Path.of(System.getProperty("user.home"), ".cache", "cortado", "cuda").toString()));

    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new ConcurrentHashMap<>();

    /** Compiles (or reads from the cache) and loads {@code source} for compute capability {@code major.minor}. */
    public KernelModule(String name, String source, int major, int minor) {
        Nvrtc.Image image = Nvrtc.compile(name, source, major * 10 + minor, CACHE);
        try (BytePointer bytes = new BytePointer(image.bytes())) {
            int status = cudart.cuModuleLoadData(module, bytes);
            if (status == cudart.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
                int[] v = Nvrtc.version();
                throw new CudaException("cuModuleLoadData(" + name + ", " + image.describe() + ") failed: the driver is older than NVRTC "
                        + v[0] + "." + v[1] + " and cannot compile its PTX; update the driver, or put an NVRTC no newer than the driver first on the library path");
            }
            Check.driver(status, "cuModuleLoadData(" + name + ", " + image.describe() + ")");
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
