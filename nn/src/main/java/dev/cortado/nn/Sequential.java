package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.List;

/**
 * {@code nn.Sequential}: applies its modules in order; they are named "0", "1", ... as in PyTorch,
 * or given names, as a Sequential built from an OrderedDict ({@link #add(String, Module)}).
 * <pre>{@code new Sequential(new Flatten(), new Linear(784, 10))}</pre>
 */
public final class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public Sequential(List<? extends Module> modules) {
        modules.forEach(this::add);
    }

    /** Appends a module under the next index. */
    public Sequential add(Module m) {
        register(Integer.toString(size), m);
        size++;
        return this;
    }

    /** {@code add_module(name, m)}: appends a module under its own name (torchvision's {@code features.conv0}); returns it. */
    public <M extends Module> M add(String name, M m) {
        register(name, m);
        size++;
        return m;
    }

    /** The module at position index, whatever its name. */
    public Module get(int index) {
        return children().get(checked(index));
    }

    /** {@code seq[index] = module}: replaces the module at index (a classifier's last layer, for fine-tuning); returns it. */
    public <M extends Module> M set(int index, M module) {
        String name = new java.util.ArrayList<>(namedChildren().keySet()).get(checked(index));
        return replace(name, module);
    }

    private int checked(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " is out of range for " + size + " modules");
        }
        return index;
    }

    public int size() {
        return size;
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children()) {
            x = m.call(x);
        }
        return x;
    }
}
