package dev.cortado.optim;

import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts between Cortado's flat optimizer state dict ({@code state.<i>.<name>} tensors,
 * {@code param_groups.<g>.<option>} strings) and PyTorch's nested {@code optimizer.state_dict()}
 * ({@code {"state": {i: {name: tensor}}, "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), ...,
 * "params": [0, 1]}]}}). Cortado keeps PyTorch's pairs as two options, and its flags as 1 or 0.
 */
final class TorchOptimizerState {
    /** Cortado's option pairs and the PyTorch tuple each is. */
    private static final Map<String, String[]> PAIRS = Map.of(
            "betas", new String[] {"beta1", "beta2"},
            "etas", new String[] {"etaminus", "etaplus"},
            "step_sizes", new String[] {"step_size_min", "step_size_max"});
    private static final Set<String> FLAGS = Set.of("amsgrad", "nesterov", "centered");
    /** PyTorch's implementation switches, which change how an update runs, not what it computes. */
    private static final Set<String> SWITCHES = Set.of("foreach", "fused", "capturable", "differentiable");

    private TorchOptimizerState() {
    }

    static Map<String, Object> toTorch(SafeTensors.Contents flat, List<ParamGroup> groups) {
        Map<Long, Map<String, Object>> state = new LinkedHashMap<>();
        for (var e : flat.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            state.computeIfAbsent(Long.parseLong(parts[1]), k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
        }
        List<Object> paramGroups = new ArrayList<>();
        long index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> group = new LinkedHashMap<>();
            for (var e : g.options().entrySet()) {
                String pair = pairOf(e.getKey());
                if (pair != null) {
                    String[] names = PAIRS.get(pair);
                    group.put(pair, List.of(g.options().get(names[0]), g.options().get(names[1])));
                } else {
                    group.put(e.getKey(), FLAGS.contains(e.getKey()) ? (Object) (e.getValue() != 0) : e.getValue());
                }
            }
            List<Long> params = new ArrayList<>();
            for (int i = 0; i < g.params().size(); i++) {
                params.add(index++);
            }
            group.put("params", params);
            paramGroups.add(group);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", paramGroups);
        return out;
    }

    private static String pairOf(String option) {
        for (var e : PAIRS.entrySet()) {
            if (e.getValue()[0].equals(option) || e.getValue()[1].equals(option)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * PyTorch's state dict in Cortado's flat form. Saved parameter ids map to this optimizer's
     * parameters by position, group by group, as {@code load_state_dict} maps them.
     */
    static SafeTensors.Contents fromTorch(String owner, Map<?, ?> dict, List<ParamGroup> groups) {
        String where = owner + ".loadTorchStateDict: ";
        if (!(dict.get("state") instanceof Map<?, ?> state) || !(dict.get("param_groups") instanceof List<?> saved)) {
            throw new IllegalArgumentException(where + "expected PyTorch's optimizer.state_dict() with \"state\" and"
                    + " \"param_groups\", got keys " + dict.keySet());
        }
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException(where + "the state has " + saved.size() + " param groups, this optimizer has " + groups.size());
        }
        Map<Object, Integer> position = new HashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        int next = 0;
        for (int gi = 0; gi < saved.size(); gi++) {
            if (!(saved.get(gi) instanceof Map<?, ?> group) || !(group.get("params") instanceof List<?> ids)) {
                throw new IllegalArgumentException(where + "param group " + gi + " is not a dict with a \"params\" list");
            }
            if (ids.size() != groups.get(gi).params().size()) {
                throw new IllegalArgumentException(where + "param group " + gi + " has " + ids.size() + " parameters in the state and "
                        + groups.get(gi).params().size() + " in this optimizer");
            }
            for (Object id : ids) {
                position.put(id(id), next++);
            }
            for (var e : group.entrySet()) {
                option(where + "param group " + gi + ": ", String.valueOf(e.getKey()), e.getValue(), "param_groups." + gi + ".", meta);
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            Integer i = position.get(id(e.getKey()));
            if (i == null || !(e.getValue() instanceof Map<?, ?> values)) {
                throw new IllegalArgumentException(where + "state entry " + e.getKey() + " belongs to no parameter of the param groups");
            }
            for (var v : values.entrySet()) {
                String key = "state." + i + "." + v.getKey();
                switch (v.getValue()) {
                    case Tensor t -> tensors.put(key, t);
                    // Before PyTorch 1.12 "step" was a Python number; SGD stores a None momentum buffer when momentum is 0.
                    case Number n -> tensors.put(key, Tensor.full(new int[0], n.doubleValue(), dev.cortado.tensor.DType.FLOAT32, Device.CPU));
                    case null -> { }
                    default -> throw new IllegalArgumentException(where + "state " + e.getKey() + "." + v.getKey() + " is a "
                            + v.getValue().getClass().getSimpleName() + ", not a tensor");
                }
            }
        }
        return new SafeTensors.Contents(tensors, meta);
    }

    /** A parameter id: Python ints arrive as Long, a map built in Java may hold Integer. */
    private static Object id(Object key) {
        return key instanceof Integer || key instanceof Short ? (Object) ((Number) key).longValue() : key;
    }

    private static void option(String where, String key, Object value, String prefix, Map<String, String> meta) {
        if (key.equals("params") || value == null || (SWITCHES.contains(key) && value instanceof Boolean)) {
            return;
        }
        if (key.equals("maximize")) {
            if (Boolean.TRUE.equals(value)) {
                throw new IllegalArgumentException(where + "maximize=True is not supported; Cortado's optimizers minimize");
            }
            return;
        }
        if (PAIRS.containsKey(key)) {
            if (!(value instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Number a) || !(pair.get(1) instanceof Number b)) {
                throw new IllegalArgumentException(where + key + " should be a pair of numbers, got " + value);
            }
            meta.put(prefix + PAIRS.get(key)[0], Double.toString(a.doubleValue()));
            meta.put(prefix + PAIRS.get(key)[1], Double.toString(b.doubleValue()));
        } else if (value instanceof Boolean b) {
            meta.put(prefix + key, b ? "1.0" : "0.0");
        } else if (value instanceof Number n) {
            meta.put(prefix + key, Double.toString(n.doubleValue()));
        } else {
            throw new IllegalArgumentException(where + "option " + key + " is a " + value.getClass().getSimpleName() + " (" + value
                    + "), not a number");
        }
    }
}
