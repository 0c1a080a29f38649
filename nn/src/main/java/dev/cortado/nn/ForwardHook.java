package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

/**
 * Runs after a module's {@code forward} when the module is invoked through {@link Module#call},
 * like a hook given to PyTorch's {@code register_forward_hook}: it sees the input and the output,
 * and a non-null return value replaces the output.
 *
 * <pre>{@code
 * Map<String, Tensor> maps = new HashMap<>();
 * model.conv1.registerForwardHook((m, in, out) -> { maps.put("conv1", out.detach()); return null; });
 * }</pre>
 */
@FunctionalInterface
public interface ForwardHook {
    /** Returns the tensor to use as the module's output instead of {@code output}, or null to keep it. */
    Tensor apply(Module module, Tensor input, Tensor output);
}
