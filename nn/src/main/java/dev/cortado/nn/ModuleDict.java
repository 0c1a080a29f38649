package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.ModuleDict}: holds modules under names of the caller's choosing, in insertion order,
 * so their parameters are registered with those names in the state dict ({@code heads.age.weight}),
 * without deciding how they are called.
 */
public final class ModuleDict extends Module {
    public ModuleDict() {
    }

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Registers module under name (no dots, not taken yet); returns this, for chaining. */
    public ModuleDict put(String name, Module module) {
        register(name, module);
        return this;
    }

    /** The module under name; an unknown name is an error that lists the known ones. */
    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict: no module named \"" + name + "\"; it holds " + keys());
        }
        return m;
    }

    public boolean containsKey(String name) {
        return namedChildren().containsKey(name);
    }

    /** The names, in insertion order. */
    public Set<String> keys() {
        return new LinkedHashMap<>(namedChildren()).keySet();
    }

    public int size() {
        return namedChildren().size();
    }

    /** A ModuleDict is not callable, as in PyTorch: look its modules up in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward; call its modules from the owning module's forward");
    }
}
