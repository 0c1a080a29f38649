package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

/**
 * The emulated device behind a {@link ProfilingRuntime}, under the device type
 * {@code cuda-emulated-profiled}: what {@code -Dcortado.cuda.profile=true} makes of a real GPU.
 */
public final class ProfiledEmulatedCudaProvider extends EmulatorBackedProvider {
    static final Device DEVICE = new Device("cuda-emulated-profiled", 0);
    private static volatile CudaBackend backend;

    /** The backend serving {@link #DEVICE}, made on first use. */
    static CudaBackend backend() {
        Tensor.zeros(new int[] {1}, DType.FLOAT32, DEVICE).close();
        return backend;
    }

    @Override
    public String deviceType() {
        return DEVICE.type();
    }

    @Override
    public Backend create() {
        CudaBackend b = new CudaBackend(DEVICE.type(), 1, index -> new ProfilingRuntime(new EmulatedRuntime(EmulatedCudaProvider.CAPACITY)));
        backend = b;
        return b;
    }
}
