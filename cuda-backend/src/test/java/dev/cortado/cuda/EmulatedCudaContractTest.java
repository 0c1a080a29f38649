package dev.cortado.cuda;

import dev.cortado.tensor.Device;
import dev.cortado.testing.BackendContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared backend contract on the CUDA backend with an emulated device: the backend's launch
 * arguments, layouts and cuBLAS operand swaps, and every kernel of kernels.cu, run on the CPU.
 */
class EmulatedCudaContractTest extends BackendContract {
    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Override
    protected Device device() {
        return EmulatedCudaProvider.DEVICE;
    }
}
