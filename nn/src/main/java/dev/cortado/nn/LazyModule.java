package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/**
 * A layer whose input size is learnt from its first input, as PyTorch's lazy modules
 * ({@code LazyModuleMixin}): it registers its parameters at construction with no elements, and
 * fills them in place (every reference, an optimizer's included, stays valid) at its first call
 * or when a state dict is loaded into it, drawing the initial values from the default generator
 * at that moment, as PyTorch does.
 */
interface LazyModule {
    /** Whether the input size is known and the parameters hold their values. */
    boolean materialized();

    /** Sizes the parameters from this module's own entries of a state dict (keys without the module's path). */
    void materialize(Map<String, Tensor> ownState);

    /** Points each placeholder at its materialised value, on the placeholder's device. */
    static void fill(Tensor[] placeholders, Tensor[] values) {
        try (var off = GradMode.off()) {
            for (int i = 0; i < placeholders.length; i++) {
                if (placeholders[i] != null) {
                    placeholders[i].set_(values[i].detach().to(placeholders[i].device()));
                }
            }
        }
    }

    /** The state dict's entry for a parameter, or an error naming the layer and the key. */
    static Tensor entry(String layer, Map<String, Tensor> ownState, String key) {
        Tensor t = ownState.get(key);
        if (t == null) {
            throw new IllegalArgumentException(layer + ": cannot infer its size from a state dict without \"" + key + "\"");
        }
        return t;
    }
}
