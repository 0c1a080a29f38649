package dev.cortado.cuda;

import dev.cortado.tensor.Device;
import dev.cortado.testing.ConvPoolContract;
import org.junit.jupiter.api.BeforeAll;

/** Convolution, pooling and batch norm contract on the CUDA backend with an emulated device. */
class EmulatedCudaConvPoolContractTest extends ConvPoolContract {
    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Override
    protected Device device() {
        return EmulatedCudaProvider.DEVICE;
    }
}
