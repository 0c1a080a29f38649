package dev.cortado.backend;

/**
 * Service-provider entry of a backend, found with {@link java.util.ServiceLoader}. Providers
 * must be cheap to construct: probing native libraries belongs in {@link #isAvailable()},
 * never in a static initialiser.
 */
public interface BackendProvider {
    /** The device type this provider serves, e.g. {@code "cpu"} or {@code "cuda"}. */
    String deviceType();

    /** Higher wins when two providers serve the same device type. */
    default int rank() {
        return 0;
    }

    boolean isAvailable();

    /** Why {@link #isAvailable()} is false: library, paths tried and cause. */
    String whyUnavailable();

    /** Creates the backend; called once, only when available. */
    Backend create();
}
