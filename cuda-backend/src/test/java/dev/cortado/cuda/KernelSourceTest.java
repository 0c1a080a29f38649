package dev.cortado.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kernels.cu is compiled by NVRTC only on a GPU machine; these checks catch what they can
 * before that: the Java side and the source agree on kernel names, and the source compiles with
 * nvcc for sm_90 wherever the CUDA compiler is installed.
 */
class KernelSourceTest {
    /** Every kernel CudaBackend launches. */
    static final Set<String> LAUNCHED = Set.of("fill_f32", "fill_i64", "bernoulli_f", "copy_ff", "copy_ll", "copy_fl", "copy_lf", "unary_ff",
            "unary_ll", "binary_fff", "binary_lll", "compare_llf", "binary_scalar_ff", "binary_scalar_ll", "compare_scalar_lf", "where_f", "where_l", "gather_f", "gather_l", "scatter_add_f", "scatter_add_l", "sort_f", "sort_l", "cumsum_f", "cumsum_l", "reduce_f", "reduce_part_f", "reduce_finish_f", "reduce_l", "arg_reduce_f",
            "arg_reduce_l", "softmax_f", "softmax_backward_f", "max_pool_f", "max_pool_backward_f", "avg_pool_f", "avg_pool_backward_f", "bn_stats_f", "bn_stats_part_f",
            "bn_stats_finish_f", "bn_apply_f", "bn_backward_sums_f", "bn_backward_sums_part_f", "bn_backward_sums_finish_f", "bn_backward_input_f", "bn_update_stats_f", "nll_f", "nll_backward_f", "sgd_momentum_f", "sgd_momentum_multi_f", "adam_f", "adam_multi_f");

    @Test
    void theSourceDefinesExactlyTheKernelsTheBackendLaunches() {
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(CudaDevice.source());
        Set<String> defined = new TreeSet<>();
        while (m.find()) {
            defined.add(m.group(1));
        }
        assertEquals(new TreeSet<>(LAUNCHED), defined);
    }

    /** The emulated tests skip where the emulator does not build; where a compiler is installed, that is a bug in the sources. */
    @Test
    void theEmulatorBuildsWhereACompilerIsInstalled() {
        Assumptions.assumeTrue(KernelEmulator.compilerInstalled(), "no C++ compiler on the PATH");
        assertEquals(null, KernelEmulator.whyUnavailable(), "kernels.cu or cuda_emulator.cpp does not compile for the emulator");
    }

    @Test
    void theSourceUsesNoHeaders() {
        assertTrue(!CudaDevice.source().contains("#include"), "NVRTC has no standard headers; kernels.cu must not include any");
    }

    @Test
    void compilesWithNvccForHopper() throws Exception {
        Path nvcc = findNvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc is not installed; kernels.cu is only compiled at run time by NVRTC on a GPU");
        Path dir = Files.createTempDirectory("cortado-kernels");
        Path src = dir.resolve("kernels.cu");
        Files.writeString(src, CudaDevice.source());
        Process p = new ProcessBuilder(nvcc.toString(), "-cubin", "-arch=sm_90", "-Werror", "all-warnings", "-o",
                dir.resolve("kernels.cubin").toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc did not finish");
        Files.deleteIfExists(dir.resolve("kernels.cubin"));
        Files.delete(src);
        Files.delete(dir);
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + out);
    }

    private static Path findNvcc() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path c = Path.of(dir, "nvcc");
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        Path usual = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(usual) ? usual : null;
    }
}
