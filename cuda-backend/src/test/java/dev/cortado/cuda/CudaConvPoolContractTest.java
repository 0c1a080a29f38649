package dev.cortado.cuda;

import dev.cortado.tensor.Device;
import dev.cortado.testing.ConvPoolContract;
import org.junit.jupiter.api.BeforeAll;

/** Convolution, pooling and batch norm contract on the first GPU (cuDNN and the NVRTC kernels). */
class CudaConvPoolContractTest extends ConvPoolContract {
    @BeforeAll
    static void needsGpu() {
        GpuRequired.assume();
    }

    @Override
    protected Device device() {
        return Device.cuda();
    }
}
