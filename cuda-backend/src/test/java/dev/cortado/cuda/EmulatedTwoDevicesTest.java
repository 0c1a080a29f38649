package dev.cortado.cuda;

import dev.cortado.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** The two emulated GPUs. */
class EmulatedTwoDevicesTest extends TwoDevicesContract {
    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Override
    protected CudaBackend backend() {
        return EmulatedCudaProvider.backend();
    }

    @Override
    protected Device first() {
        return EmulatedCudaProvider.DEVICE;
    }

    @Override
    protected Device second() {
        return EmulatedCudaProvider.SECOND;
    }
}
