package dev.cortado.cpu;

import dev.cortado.backend.Backend;
import dev.cortado.backend.BackendProvider;

/** Registers the CPU backend; it needs nothing but the JDK's incubating Vector API module. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String deviceType() {
        return "cpu";
    }

    @Override
    public boolean isAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Override
    public String whyUnavailable() {
        return isAvailable() ? "" : "the JVM was started without the Vector API: add --add-modules jdk.incubator.vector";
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
