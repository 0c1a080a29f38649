package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * Runs during backward for a module invoked through {@link Module#call}, like a hook given to
 * PyTorch's {@code register_full_backward_hook}: it sees the gradient with respect to the
 * module's input (null when the input does not require grad; the hook then runs as soon as the
 * output's gradient is known) and with respect to its output. A non-null return value replaces
 * the input's gradient.
 */
@FunctionalInterface
public interface FullBackwardHook {
    /** Returns the gradient to pass on for the module's input instead of {@code gradInput}, or null to keep it. */
    Tensor apply(Module module, Tensor gradInput, Tensor gradOutput);
}
