package dev.cortado.cpu;

import dev.cortado.tensor.Device;
import dev.cortado.testing.ConvPoolContract;

/** Convolution and pooling kernels of the CPU backend against the reference. */
class CpuConvPoolContractTest extends ConvPoolContract {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
