package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.autograd.RemovableHandle;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * What {@link WeightNorm} and {@link SpectralNorm} share, as PyTorch's hook-based
 * {@code torch.nn.utils.weight_norm} and {@code spectral_norm} do it: the trained tensors are
 * registered under new names, and a forward pre-hook recomputes the weight from them before each
 * call and assigns it to the module's field of that name ({@code conv.weight}), which the layer's
 * forward reads. So the layer's code is unchanged, {@code conv.weight} is the weight of the last
 * call, and the state dict holds PyTorch's keys ({@code weight_orig}, {@code weight_u},
 * {@code weight_v}; {@code weight_g}, {@code weight_v}).
 */
abstract class WeightReparametrization implements ForwardPreHook {
    final String name;
    private final String kind;
    private final Field field;
    private RemovableHandle hook;

    WeightReparametrization(String kind, Module module, String name) {
        this.kind = kind;
        this.name = name;
        this.field = field(kind, module, name);
    }

    /** The weight from the registered tensors; {@code training} tells whether state may advance (power iteration). */
    abstract Tensor compute(Module module, boolean training);

    @Override
    public final Tensor apply(Module module, Tensor input) {
        assign(module, compute(module, module.isTraining()));
        return null;
    }

    /**
     * Sets the module's field. The weight outlives a {@link MemoryScope} around the step that
     * computed it, as PyTorch's attribute does, so reading {@code conv.weight} after a step works.
     */
    final void assign(Module module, Tensor weight) {
        try {
            field.set(module, MemoryScope.keep(weight));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(kind + ": cannot set " + module.getClass().getSimpleName() + "." + name, e);
        }
    }

    /** Registers the pre-hook and records this reparametrization on the module. */
    final void install(Module module) {
        hook = module.registerForwardPreHook(this);
        module.reparametrizations().put(name, this);
    }

    /**
     * Ends the reparametrization: the weight as it is now (no power iteration) becomes a plain
     * parameter again under its name, and the named parameters and buffers it kept are dropped.
     */
    final void removeFrom(Module module, String... kept) {
        Tensor weight;
        try (var off = GradMode.off()) {
            weight = compute(module, false);
        }
        hook.remove();
        module.reparametrizations().remove(name);
        for (String k : kept) {
            if (module.parameter(k) != null) {
                module.removeParameter(k);
            } else {
                module.removeBuffer(k);
            }
        }
        assign(module, module.registerParameter(name, weight.detach()));
    }

    /** The parameter to reparametrize, refused by name when absent or already reparametrized. */
    static Tensor parameterToReplace(String kind, Module module, String name) {
        WeightReparametrization existing = module.reparametrizations().get(name);
        if (existing != null) {
            throw new IllegalArgumentException(kind + ": " + module.getClass().getSimpleName() + "'s " + name + " is already reparametrized by "
                    + existing.kind + "; remove that first");
        }
        Tensor weight = module.parameter(name);
        if (weight == null) {
            throw new IllegalArgumentException(kind + ": " + module.getClass().getSimpleName() + " has no parameter \"" + name + "\"; it has "
                    + module.namedParameters().keySet().stream().filter(k -> !k.contains(".")).toList());
        }
        return weight;
    }

    /** The reparametrization of this kind on module's name, for removal. */
    static <R extends WeightReparametrization> R find(String op, Class<R> type, Module module, String name) {
        WeightReparametrization r = module.reparametrizations().get(name);
        if (!type.isInstance(r)) {
            throw new IllegalArgumentException(op + ": " + module.getClass().getSimpleName() + "'s " + name + " has no " + type.getSimpleName()
                    + (r == null ? "" : " (it has " + r.kind + ")"));
        }
        return type.cast(r);
    }

    /**
     * The field that forward reads the weight from. It must exist and not be final: without it
     * the recomputed weight would never reach forward, which would silently train the raw one.
     */
    private static Field field(String kind, Module module, String name) {
        for (Class<?> c = module.getClass(); c != Module.class && c != null; c = c.getSuperclass()) {
            Field f;
            try {
                f = c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
            String where = module.getClass().getSimpleName() + "." + name;
            if (Modifier.isStatic(f.getModifiers()) || !f.getType().isAssignableFrom(Tensor.class)) {
                throw new IllegalArgumentException(kind + ": " + where + " is not a Tensor field of the module");
            }
            if (Modifier.isFinal(f.getModifiers())) {
                throw new IllegalArgumentException(kind + ": " + where + " is final, but the recomputed tensor is assigned to it before each "
                        + "forward; declare it without final");
            }
            f.setAccessible(true);
            return f;
        }
        throw new IllegalArgumentException(kind + ": " + module.getClass().getSimpleName() + " has no field \"" + name + "\" for forward to "
                + "read the recomputed tensor from; declare a non-final Tensor field of that name");
    }
}
