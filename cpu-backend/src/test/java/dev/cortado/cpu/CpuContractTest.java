package dev.cortado.cpu;

import dev.cortado.tensor.Device;
import dev.cortado.testing.BackendContract;

/** The shared backend contract, run against the CPU kernels. */
class CpuContractTest extends BackendContract {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
