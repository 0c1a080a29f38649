package dev.cortado.cuda;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where CUDA cannot load, asking for it fails with the reason, and the CPU goes on untouched. */
class WithoutGpuTest {
    @Test
    void cudaDeviceFailsWithTheReasonAndTheCpuStillWorks() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "a GPU is usable here; this test covers machines without one");
        String why = Cuda.whyUnavailable();
        assertFalse(why.isEmpty());
        assertTrue(why.contains("could not load") || why.contains("cudaGetDeviceCount") || why.contains("no CUDA device"), why);
        if (why.contains("could not load")) {
            assertTrue(why.contains("searched") && why.contains("LD_LIBRARY_PATH"), why);
        }
        assertMessage(() -> Tensor.zeros(new int[] {2}, DType.FLOAT32, Device.cuda()), "backend for device type 'cuda' is not usable",
                "CudaBackendProvider");
        Tensor host = Tensor.ones(new int[] {3}, DType.FLOAT32, ReferenceBackend.DEVICE);
        assertMessage(() -> host.to(Device.cuda()), "cuda");
        assertArrayEquals(new float[] {2, 2, 2}, host.add(1).toFloatArray());
        assertEquals(0, Cuda.deviceCount());
    }

    /** Every control of {@link Cuda} that needs a device says why there is none; the TF32 switch is kept for later. */
    @Test
    void cudaControlsNameTheReasonAndTheTf32SwitchIsKept() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "a GPU is usable here; this test covers machines without one");
        String why = Cuda.whyUnavailable();
        assertMessage(() -> Cuda.info(0), "CUDA is not usable", why);
        assertMessage(() -> Cuda.memoryStats(0), "CUDA is not usable", why);
        assertMessage(() -> Cuda.emptyCache(0), "CUDA is not usable", why);
        assertMessage(() -> Cuda.resetPeakMemoryStats(0), "CUDA is not usable", why);
        assertMessage(() -> CudaEvent.create(0), "CUDA is not usable", why);
        assertMessage(() -> Cuda.synchronize(0), "CUDA is not usable", why);
        assertMessage(() -> Cuda.profile(0), "CUDA is not usable", why);
        boolean before = CudaSettings.tf32();
        try {
            Cuda.setTf32(!before);
            assertEquals(!before, CudaSettings.tf32(), "a backend started later reads the switch");
        } finally {
            Cuda.setTf32(before);
        }
        assertEquals(before, CudaSettings.tf32());
    }
}
