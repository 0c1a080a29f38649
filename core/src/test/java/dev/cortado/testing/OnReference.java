package dev.cortado.testing;

import dev.cortado.tensor.Cortado;
import org.junit.jupiter.api.BeforeAll;

/** Base for core's tests: core has no real backend, so tensors are created on the reference one. */
public abstract class OnReference {
    @BeforeAll
    static void useReferenceDevice() {
        Cortado.setDefaultDevice(ReferenceBackend.DEVICE);
    }
}
