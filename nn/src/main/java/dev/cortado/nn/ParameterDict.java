package dev.cortado.nn;

import dev.cortado.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.ParameterDict}: parameters registered under string keys, in insertion order (as
 * PyTorch's from an OrderedDict; a plain Python dict it sorts, a Java map keeps its own order).
 */
public final class ParameterDict extends Module {
    public ParameterDict() {
    }

    public ParameterDict(Map<String, Tensor> parameters) {
        parameters.forEach(this::put);
    }

    /** {@code params[key] = p}: a new key goes last, an existing one keeps its position; returns the parameter. */
    public Tensor put(String key, Tensor parameter) {
        return putParameter(key, parameter);
    }

    /** The parameter under key; a missing key is an error naming the keys there are. */
    public Tensor get(String key) {
        Tensor p = parameter(key);
        if (p == null) {
            throw new IllegalArgumentException("ParameterDict has no key \"" + key + "\"; it has " + keys());
        }
        return p;
    }

    public boolean containsKey(String key) {
        return parameter(key) != null;
    }

    /** {@code params.pop(key)}: removes the parameter under key and returns it. */
    public Tensor pop(String key) {
        if (parameter(key) == null) {
            throw new IllegalArgumentException("ParameterDict has no key \"" + key + "\" to remove; it has " + keys());
        }
        return removeParameter(key);
    }

    /** The keys in order; a copy. */
    public Set<String> keys() {
        return new java.util.LinkedHashSet<>(ownParameters().keySet());
    }

    /** The parameters by key, in order; a copy. */
    public Map<String, Tensor> items() {
        return new LinkedHashMap<>(ownParameters());
    }

    public int size() {
        return ownParameters().size();
    }

    /** A ParameterDict is not callable, as in PyTorch: use its parameters in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ParameterDict has no forward; use its parameters in the owning module's forward");
    }

    @Override
    public String toString() {
        return ParameterContainers.repr("ParameterDict", ownParameters(), true);
    }
}
