package dev.cortado.cuda;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BackendProvider;
import dev.cortado.cuda.driver.Libraries;

/**
 * Registers the CUDA backend. Construction is free; the native libraries are loaded by the
 * first {@link #isAvailable()}, and a failure is reported, not thrown, so the CPU backend is
 * never disturbed by a missing driver.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String deviceType() {
        return "cuda";
    }

    @Override
    public boolean isAvailable() {
        return Libraries.probe().usable();
    }

    @Override
    public String whyUnavailable() {
        return Libraries.probe().whyUnusable();
    }

    @Override
    public Backend create() {
        return Cuda.backend();
    }
}
