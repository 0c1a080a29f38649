package dev.cortado.cuda;

import dev.cortado.backend.BackendProvider;

/** A test device whose kernels run on the kernel emulator: available wherever the emulator builds. */
abstract class EmulatorBackedProvider implements BackendProvider {
    @Override
    public boolean isAvailable() {
        return KernelEmulator.whyUnavailable() == null;
    }

    @Override
    public String whyUnavailable() {
        String why = KernelEmulator.whyUnavailable();
        return why == null ? "" : why;
    }
}
