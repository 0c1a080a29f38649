package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checking and copying a state dict into live tensors, all or nothing. */
public final class StateDicts {
    private StateDicts() {
    }

    /**
     * {@code torch.nn.modules.utils.consume_prefix_in_state_dict_if_present}: the state with
     * {@code prefix} taken off every key that has it (DataParallel's and DistributedDataParallel's
     * "module."), in the same order.
     */
    public static Map<String, Tensor> consumePrefix(Map<String, Tensor> state, String prefix) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k.startsWith(prefix) ? k.substring(prefix.length()) : k, v));
        return out;
    }

    /** The first dotted component that every key starts with ("module."), or null. */
    private static String commonPrefix(java.util.Set<String> keys) {
        String first = keys.stream().findFirst().orElse(null);
        if (first == null || first.indexOf('.') < 0) {
            return null;
        }
        String prefix = first.substring(0, first.indexOf('.') + 1);
        return keys.stream().allMatch(k -> k.startsWith(prefix)) ? prefix : null;
    }

    static IncompatibleKeys load(String owner, Map<String, Tensor> live, Map<String, Tensor> state, boolean strict) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (var e : live.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!java.util.Arrays.equals(src.shape(), e.getValue().shape()) || src.dtype() != e.getValue().dtype()) {
                mismatched.add(e.getKey() + ": checkpoint " + Shapes.str(src.shape()) + " " + src.dtype() + ", model "
                        + Shapes.str(e.getValue().shape()) + " " + e.getValue().dtype());
            }
        }
        for (String k : state.keySet()) {
            if (!live.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!mismatched.isEmpty() || strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading the state dict of " + owner + ":");
            if (strict && !missing.isEmpty()) {
                sb.append("\n  missing keys: ").append(missing);
            }
            if (strict && !unexpected.isEmpty()) {
                sb.append("\n  unexpected keys: ").append(unexpected);
            }
            for (String m : mismatched) {
                sb.append("\n  size or dtype mismatch for ").append(m);
            }
            String prefix = commonPrefix(state.keySet());
            if (prefix != null && live.keySet().stream().allMatch(k -> state.containsKey(prefix + k))) {
                sb.append("\n  every checkpoint key starts with \"").append(prefix).append("\" (a model saved wrapped, as by DataParallel):"
                        + " StateDicts.consumePrefix(state, \"").append(prefix).append("\") removes it");
            }
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = GradMode.off()) {
            for (var e : live.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copy_(src.to(e.getValue().device()));
                }
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }
}
