package dev.cortado.cuda;

import dev.cortado.cuda.driver.Residency;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The first two GPUs, where there are two: the fake CUDA stack's, or a multi-GPU machine's. */
class CudaTwoDevicesTest extends TwoDevicesContract {
    @BeforeAll
    static void needsTwoGpus() {
        GpuRequired.assume();
        int count = Cuda.deviceCount();
        if (count < 2) {
            System.out.println("CUDA two-device tests skipped: this machine has " + count + " GPU");
        }
        Assumptions.assumeTrue(count >= 2, () -> "needs two GPUs; this machine has " + count);
    }

    /** Each device's tensors are in that device's memory, as the runtime itself reports. */
    @Test
    void eachDevicesTensorsLiveInItsMemory() {
        for (Device d : new Device[] {first(), second()}) {
            Tensor t = Tensor.ones(new int[] {1000}, DType.FLOAT32, d).mul(2);
            CudaStorage s = (CudaStorage) t.storage();
            assertEquals(d.index(), Residency.deviceOf(s.address(0)), "the memory of a tensor on " + d);
        }
    }

    @Override
    protected CudaBackend backend() {
        return Cuda.backend();
    }

    @Override
    protected Device first() {
        return Device.cuda(0);
    }

    @Override
    protected Device second() {
        return Device.cuda(1);
    }
}
