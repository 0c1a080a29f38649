package dev.cortado.cuda;

import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.Inputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public {@link Cuda} controls and {@link CudaEvent} on the first GPU, through the real
 * driver calls; skipped, with the reason printed, where there is none.
 */
class CudaApiTest {
    private static final Device GPU = Device.cuda();

    @BeforeAll
    static void needsGpu() {
        GpuRequired.assume();
    }

    @Test
    void infoNamesTheDeviceAndTheVersionsOfItsStack() {
        Gpu.Info info = Cuda.info(0);
        assertTrue(!info.name().isBlank() && info.major() >= 5 && info.totalBytes() > 0 && info.multiprocessors() > 0, info.toString());
        assertTrue(info.driverVersion() >= 13000 && info.runtimeVersion() >= 13000, info.toString());
        assertTrue(info.cublasVersion() > 0 && info.cudnnVersion() >= 90000 && info.nvrtcVersion().startsWith("13."), info.toString());
        assertTrue(Cuda.deviceCount() >= 1);
    }

    /** Stated as bounds: the garbage collector may hand back other tests' tensors at any moment, which only lowers the counts. */
    @Test
    void memoryStatisticsFollowTensorsThePeakAndTheCache() {
        long twelveMib = 12L << 20;
        Tensor big = Tensor.ones(new int[] {3 << 20}, DType.FLOAT32, GPU);
        MemoryStats with = Cuda.memoryStats(0);
        assertTrue(with.allocated() >= twelveMib && with.peakAllocated() >= with.allocated(), with.toString());
        big.close();
        assertTrue(Cuda.memoryStats(0).allocated() <= with.allocated() - twelveMib, "closing gave the block back");
        Cuda.resetPeakMemoryStats(0);
        MemoryStats reset = Cuda.memoryStats(0);
        assertTrue(reset.peakAllocated() >= reset.allocated() && reset.peakAllocated() <= with.allocated() - twelveMib, reset.toString());
        Cuda.emptyCache(0);
        assertTrue(Cuda.memoryStats(0).reserved() <= with.reserved() - twelveMib, "the cached block went back to the driver");
        Cuda.synchronize(0);
    }

    /** A request no device holds goes to the driver, fails, empties the cache, fails again and names the device. */
    @Test
    void anImpossibleAllocationIsAnOutOfMemoryErrorNamingTheDevice() {
        CachingAllocator allocator = Cuda.backend().context(GPU).allocator;
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> allocator.allocate(1L << 50));
        assertTrue(e.getMessage().contains("cuda:0 is out of memory") && e.getMessage().contains("MemoryScope"), e.getMessage());
        assertEquals(2.0, Tensor.ones(new int[] {2}, DType.FLOAT32, GPU).sum().item(), "the device works after it");
    }

    @Test
    void eventsTimeTheWorkBetweenThem() {
        try (CudaEvent start = CudaEvent.create(0); CudaEvent end = CudaEvent.create(0)) {
            start.record();
            Tensor x = Tensor.ones(new int[] {1 << 20}, DType.FLOAT32, GPU).mul(2);
            end.record();
            end.synchronize();
            assertTrue(end.query());
            float ms = start.elapsedTime(end);
            assertTrue(ms >= 0 && ms < 60_000, ms + " ms");
            assertEquals(2.0 * (1 << 20), x.sum().item());
        }
        assertMessage(() -> CudaEvent.create(7), "cuda:7 does not exist");
    }

    /**
     * Profiling is chosen as the backend starts (-Dcortado.cuda.profile=true); asked of a backend
     * that does not profile, the report says how to turn it on. A profiling backend times the real
     * device's calls by name, through the same events.
     */
    @Test
    void aProfileTimesEachCallOfABackendStartedToProfile() {
        if (!CudaSettings.profile()) {
            assertMessage(() -> Cuda.profile(0), "cuda:0 is not being profiled", "-Dcortado.cuda.profile=true");
        }
        CudaBackend profiled;
        String before = System.setProperty("cortado.cuda.profile", "true");
        try {
            profiled = new CudaBackend(Cuda.deviceCount());
        } finally {
            if (before == null) {
                System.clearProperty("cortado.cuda.profile");
            } else {
                System.setProperty("cortado.cuda.profile", before);
            }
        }
        DeviceRuntime gpu = profiled.context(GPU).runtime;
        long out = gpu.malloc(16);
        try {
            gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(Strided.pack(new int[] {4}, new int[] {1}, 0)).pointer(out).f32(2.5f).i32(4));
            float[] back = new float[4];
            gpu.download(back, out);
            assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, back);
        } finally {
            gpu.free(out);
        }
        Map<String, Long> calls = profiled.profile(0).stream().collect(Collectors.toMap(Cuda.KernelTime::name, Cuda.KernelTime::calls));
        assertEquals(Map.of("fill_f32", 1L, "copy device to host", 1L), calls);
    }

    /** Host threads sharing the GPU (its allocator, cuBLAS's and cuDNN's handles, the staging buffer) get one thread's bits. */
    @Test
    void threadsSharingTheGpuGetTheBitsOfOneThread() throws Exception {
        float[] alone = step(0);
        for (float[] got : Concurrently.results(4, 8, r -> step(0))) {
            assertArrayEquals(alone, got);
        }
    }

    /** A convolution and a product with their gradients; the input's gradient. */
    private static float[] step(long seed) {
        Tensor x = Inputs.randn(seed, GPU, 2, 3, 8, 8).requiresGrad_(true);
        Tensor w = Inputs.randn(seed + 1, GPU, 4, 3, 3, 3);
        Tensor v = Inputs.randn(seed + 2, GPU, 4 * 6 * 6, 5);
        Convolution.conv2d(x, w, null, ConvOptions.DEFAULT).relu().reshape(2, 4 * 6 * 6).matmul(v).square().sum().backward();
        return x.grad().toFloatArray();
    }

    /** Switching drops the convolution plans found under the other setting (their descriptors destroyed) and finds new ones. */
    @Test
    void tf32CanBeSwitchedOnAndOffAgain() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4}, new int[] {2, 2}, GPU);
        Tensor image = Tensor.ones(new int[] {1, 1, 3, 3}, DType.FLOAT32, GPU);
        Tensor filter = Tensor.ones(new int[] {1, 1, 2, 2}, DType.FLOAT32, GPU);
        assertArrayEquals(new float[] {4, 4, 4, 4}, Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT).toFloatArray());
        try {
            Cuda.setTf32(true);
            assertEquals(4, a.matmul(a).numel());
            assertEquals(4, Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT).numel());
        } finally {
            Cuda.setTf32(false);
        }
        assertArrayEquals(new float[] {7, 10, 15, 22}, a.matmul(a).toFloatArray(), "float32 products again with TF32 off");
        assertArrayEquals(new float[] {4, 4, 4, 4}, Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT).toFloatArray());
    }

    /** The convolutions found before the switch are forgotten and found again under it, in each direction. */
    @Test
    void deterministicConvolutionsCanBeSwitchedOnAndOffAgain() {
        Tensor image = Tensor.ones(new int[] {1, 1, 3, 3}, DType.FLOAT32, GPU).requiresGrad_(true);
        Tensor filter = Tensor.ones(new int[] {1, 1, 2, 2}, DType.FLOAT32, GPU).requiresGrad_(true);
        Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT).sum().backward();
        float[] imageGrad = image.grad().toFloatArray();
        float[] filterGrad = filter.grad().toFloatArray();
        try {
            Cuda.setDeterministic(true);
            image.zeroGrad();
            filter.zeroGrad();
            Tensor y = Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT);
            assertArrayEquals(new float[] {4, 4, 4, 4}, y.toFloatArray());
            y.sum().backward();
            assertArrayEquals(imageGrad, image.grad().toFloatArray());
            assertArrayEquals(filterGrad, filter.grad().toFloatArray());
        } finally {
            Cuda.setDeterministic(false);
        }
        assertArrayEquals(new float[] {4, 4, 4, 4}, Convolution.conv2d(image, filter, null, ConvOptions.DEFAULT).toFloatArray());
    }
}
