package dev.cortado.cuda;

import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.Inputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profiling runtime passes every call on and adds up the time of each, by name, on the emulated device. */
class ProfilingRuntimeTest {
    private static final int[] FOUR = Strided.pack(new int[] {4}, new int[] {1}, 0);

    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Test
    void countsAndTimesEachKindOfCallAndStartsAnewAfterAReport() {
        ProfilingRuntime gpu = new ProfilingRuntime(new EmulatedRuntime(1 << 20));
        long out = gpu.malloc(16);
        gpu.upload(out, new float[] {1, 2, 3, 4});
        // More calls than one batch of events, so that events are read and reused on the way.
        for (int i = 0; i < 3000; i++) {
            gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(out).f32(i).i32(4));
        }
        float[] back = new float[4];
        gpu.download(back, out);
        assertArrayEquals(new float[] {2999, 2999, 2999, 2999}, back, "the calls still run");
        List<Cuda.KernelTime> report = gpu.report();
        Map<String, Cuda.KernelTime> byName = report.stream().collect(Collectors.toMap(Cuda.KernelTime::name, t -> t));
        assertEquals(3000, byName.get("fill_f32").calls());
        assertEquals(1, byName.get("copy host to device").calls());
        assertEquals(1, byName.get("copy device to host").calls());
        assertTrue(report.stream().allMatch(t -> t.totalMs() >= 0), report.toString());
        for (int i = 1; i < report.size(); i++) {
            assertTrue(report.get(i - 1).totalMs() >= report.get(i).totalMs(), "most time first: " + report);
        }
        assertEquals(List.of(), gpu.report(), "a report starts the count anew");
        gpu.free(out);
    }

    /** Copies and int64 transfers are timed under their names; events, the TF32 switch and the device facts pass straight through. */
    @Test
    void passesEveryOtherCallOn() {
        ProfilingRuntime gpu = new ProfilingRuntime(new EmulatedRuntime(1 << 20));
        long a = gpu.malloc(32);
        long b = gpu.malloc(32);
        gpu.upload(a, new long[] {5, -6, 1L << 40, 7});
        gpu.copy(b, a, 32);
        long[] back = new long[4];
        gpu.download(back, b);
        assertArrayEquals(new long[] {5, -6, 1L << 40, 7}, back);
        long start = gpu.eventCreate();
        long end = gpu.eventCreate();
        gpu.eventRecord(start);
        gpu.eventRecord(end);
        gpu.eventSynchronize(end);
        assertTrue(gpu.eventQuery(end));
        assertTrue(gpu.eventElapsedMs(start, end) >= 0);
        gpu.eventDestroy(start);
        gpu.eventDestroy(end);
        assertMessage(() -> gpu.eventRecord(start), "cudaEventRecord");
        gpu.setTf32(false);
        gpu.synchronize();
        assertEquals("emulated", gpu.info().name());
        Map<String, Long> calls = gpu.report().stream().collect(Collectors.toMap(Cuda.KernelTime::name, Cuda.KernelTime::calls));
        assertEquals(Map.of("copy host to device", 1L, "copy device to device", 1L, "copy device to host", 1L), calls);
        gpu.free(a);
        gpu.free(b);
    }

    /**
     * Runs {@code run} on the emulated device and on its profiled twin: the same results either
     * way, and the profiled device's report of the second run.
     */
    private static Map<String, Cuda.KernelTime> sameWithAndWithoutProfiling(java.util.function.Function<Device, float[]> run) {
        float[] plain = run.apply(EmulatedCudaProvider.DEVICE);
        ProfiledEmulatedCudaProvider.backend().profile(0);
        assertArrayEquals(plain, run.apply(ProfiledEmulatedCudaProvider.DEVICE), "profiling changes no result");
        return ProfiledEmulatedCudaProvider.backend().profile(0).stream().collect(Collectors.toMap(Cuda.KernelTime::name, t -> t));
    }

    /** The input's gradient through cuDNN's backward-data call, timed, and the same as without profiling. */
    @Test
    void aProfiledConvolutionGradientOfTheInputIsTheSame() {
        Map<String, Cuda.KernelTime> byName = sameWithAndWithoutProfiling(dev -> {
            Tensor x = Inputs.randn(4, dev, 2, 3, 6, 6).requiresGrad_(true);
            Convolution.conv2d(x, Inputs.randn(5, dev, 2, 3, 3, 3), null, ConvOptions.DEFAULT.padding(1)).sum().backward();
            return x.grad().toFloatArray();
        });
        assertTrue(byName.containsKey("cudnn convolution backward data"), byName.keySet().toString());
    }

    /**
     * A convolution, a product and their gradients on a profiled device: the same numbers as
     * without profiling, and each library call, kernel and copy in the report under its name.
     */
    @Test
    void aProfiledTrainingStepGivesTheSameGradientsAndNamesEveryCall() {
        Map<String, Cuda.KernelTime> byName = sameWithAndWithoutProfiling(dev -> {
            Tensor x = Inputs.randn(1, dev, 2, 3, 8, 8);
            Tensor w = Inputs.randn(2, dev, 4, 3, 3, 3).requiresGrad_(true);
            Tensor v = Inputs.randn(3, dev, 4 * 6 * 6, 5).requiresGrad_(true);
            Tensor y = Convolution.conv2d(x, w, null, ConvOptions.DEFAULT).relu().reshape(2, 4 * 6 * 6).matmul(v);
            y.mul(y).sum().backward();
            return w.grad().toFloatArray();
        });
        for (String call : List.of("cudnn convolution forward", "cudnn convolution backward filter", "cublasSgemmStridedBatched",
                "copy host to device", "copy device to host", "unary_ff")) {
            assertTrue(byName.containsKey(call) && byName.get(call).calls() > 0, call + " is missing from " + byName.keySet());
        }
        assertTrue(!byName.containsKey("cudnn convolution backward data"), "x needs no gradient: " + byName.keySet());
    }

    @Test
    void aDeviceThatIsNotProfiledSaysHowToProfileIt() {
        assertMessage(() -> EmulatedCudaProvider.backend().profile(0), "cuda profile", "not being profiled", "-Dcortado.cuda.profile=true");
    }
}
