package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.Iterator;
import java.util.List;

/**
 * {@code nn.ModuleList}: holds modules under "0", "1", ... so their parameters are registered,
 * without deciding how they are called.
 */
public final class ModuleList extends Module implements Iterable<Module> {
    private int size;

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList add(Module m) {
        register(Integer.toString(size), m);
        size++;
        return this;
    }

    public Module get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("ModuleList: index " + index + " is out of range for " + size + " modules");
        }
        return namedChildren().get(Integer.toString(index));
    }

    public int size() {
        return size;
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(children()).iterator();
    }

    /** A ModuleList is not callable, as in PyTorch: iterate over it in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; call its modules from the owning module's forward");
    }
}
