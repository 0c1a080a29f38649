package dev.cortado.testing;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BackendProvider;

/** Registers the reference backend under the device type "reference" (test class path only). */
public final class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String deviceType() {
        return ReferenceBackend.DEVICE.type();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String whyUnavailable() {
        return "";
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
