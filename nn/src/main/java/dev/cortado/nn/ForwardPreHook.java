package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * Runs before a module's {@code forward} when the module is invoked through {@link Module#call},
 * like a hook given to PyTorch's {@code register_forward_pre_hook}: a non-null return value
 * replaces the input that {@code forward} and the later hooks see.
 */
@FunctionalInterface
public interface ForwardPreHook {
    /** Returns the tensor to pass to {@code forward} instead of {@code input}, or null to keep it. */
    Tensor apply(Module module, Tensor input);
}
