package dev.cortado.cuda;

import dev.cortado.tensor.Device;
import dev.cortado.testing.BackendContract;
import org.junit.jupiter.api.BeforeAll;

/** The shared backend contract on the first GPU; skipped, with the reason printed, where there is none. */
class CudaContractTest extends BackendContract {
    @BeforeAll
    static void needsGpu() {
        GpuRequired.assume();
    }

    @Override
    protected Device device() {
        return Device.cuda();
    }
}
