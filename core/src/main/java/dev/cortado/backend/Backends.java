package dev.cortado.backend;

import dev.cortado.tensor.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the backend for a device type through {@link ServiceLoader}, lazily, once per type. */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final Map<String, Backend> BY_TYPE = new ConcurrentHashMap<>();

    private Backends() {
    }

    /** The backend serving {@code device}; a clear error when none is on the class path or usable. */
    public static Backend of(Device device) {
        Backend b = BY_TYPE.get(device.type());
        return b != null ? b : BY_TYPE.computeIfAbsent(device.type(), Backends::load);
    }

    /** Whether a backend for this device type is on the class path and usable. */
    public static boolean isAvailable(String deviceType) {
        if (BY_TYPE.containsKey(deviceType)) {
            return true;
        }
        return providers(deviceType).stream().anyMatch(BackendProvider::isAvailable);
    }

    /** Device types of every provider on the class path, usable or not. */
    public static List<String> deviceTypes() {
        List<String> types = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (!types.contains(p.deviceType())) {
                types.add(p.deviceType());
            }
        }
        return types;
    }

    private static List<BackendProvider> providers(String deviceType) {
        List<BackendProvider> found = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.deviceType().equals(deviceType)) {
                found.add(p);
            }
        }
        found.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return found;
    }

    private static Backend load(String deviceType) {
        List<BackendProvider> candidates = providers(deviceType);
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no backend for device type '" + deviceType
                    + "' on the class path (add the cortado-" + deviceType + " artifact); backends present: "
                    + deviceTypes());
        }
        StringBuilder why = new StringBuilder();
        for (BackendProvider p : candidates) {
            if (p.isAvailable()) {
                LOG.debug("device type '{}' served by {}", deviceType, p.getClass().getName());
                return p.create();
            }
            LOG.debug("{} cannot serve '{}': {}", p.getClass().getName(), deviceType, p.whyUnavailable());
            why.append("\n  ").append(p.getClass().getName()).append(": ").append(p.whyUnavailable());
        }
        throw new IllegalStateException("backend for device type '" + deviceType + "' is not usable:" + why);
    }
}
