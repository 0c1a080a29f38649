package dev.cortado.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} left out, as PyTorch's {@code load_state_dict} returns it:
 * the module's keys the state dict lacks, and the state dict's keys the module lacks. Both are
 * empty after a strict load, which refuses either.
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    public IncompatibleKeys {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
