package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that share hyper-parameters, like an entry of PyTorch's {@code param_groups}.
 * Options not set here take the optimizer's defaults.
 * <pre>{@code new SGD(List.of(ParamGroup.of(backbone).set("lr", 0.01), ParamGroup.of(head)), 0.1)}</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    public ParamGroup set(String option, double value) {
        options.put(option, value);
        return this;
    }

    public List<Tensor> params() {
        return params;
    }

    /** The value of a hyper-parameter, e.g. {@code "lr"}, {@code "momentum"}. */
    public double get(String option) {
        Double v = options.get(option);
        if (v == null) {
            throw new IllegalArgumentException("param group has no option \"" + option + "\"; it has " + options.keySet());
        }
        return v;
    }

    public double lr() {
        return get("lr");
    }

    public void setLr(double lr) {
        options.put("lr", lr);
    }

    Map<String, Double> options() {
        return options;
    }
}
