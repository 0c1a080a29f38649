package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.Iterator;
import java.util.List;

/**
 * {@code nn.ParameterList}: holds parameters under "0", "1", ..., so a module with a varying
 * number of them registers each (state-dict keys {@code name.0}, {@code name.1}, ...).
 */
public final class ParameterList extends Module implements Iterable<Tensor> {
    private int size;

    public ParameterList(Tensor... parameters) {
        for (Tensor p : parameters) {
            add(p);
        }
    }

    /** Appends a parameter (made a leaf that requires grad, as {@code registerParameter}); returns this list. */
    public ParameterList add(Tensor parameter) {
        registerParameter(Integer.toString(size), parameter);
        size++;
        return this;
    }

    /** The parameter at index, from the end when negative (Python's {@code params[-1]}). */
    public Tensor get(int index) {
        return parameter(Integer.toString(position(index)));
    }

    /** Puts {@code parameter} in place of the one at index ({@code params[i] = p}); returns it. */
    public Tensor set(int index, Tensor parameter) {
        return putParameter(Integer.toString(position(index)), parameter);
    }

    private int position(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("ParameterList: index " + index + " is out of range for " + size + " parameters");
        }
        return i;
    }

    public int size() {
        return size;
    }

    @Override
    public Iterator<Tensor> iterator() {
        return List.copyOf(ownParameters().values()).iterator();
    }

    /** A ParameterList is not callable, as in PyTorch: use its parameters in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ParameterList has no forward; use its parameters in the owning module's forward");
    }

    @Override
    public String toString() {
        return ParameterContainers.repr("ParameterList", ownParameters(), false);
    }
}
