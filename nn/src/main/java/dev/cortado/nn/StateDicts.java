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

    /** A spectral norm's tensors as torch.nn.utils.parametrizations saves them: the owner's path, the tensor's name, which. */
    private static final java.util.regex.Pattern PARAMETRIZED =
            java.util.regex.Pattern.compile("((?:.*\\.)?)parametrizations\\.([^.]+)\\.(original|0\\._u|0\\._v)");

    /**
     * A state dict saved from a model whose spectral norms came from
     * {@code torch.nn.utils.parametrizations.spectral_norm} (keys
     * {@code conv.parametrizations.weight.original}, {@code ...weight.0._u}, {@code ...weight.0._v}),
     * with the keys of the hook-based form {@link SpectralNorm} gives ({@code conv.weight_orig},
     * {@code conv.weight_u}, {@code conv.weight_v}), in the same order; the other keys pass
     * unchanged. Both forms hold the same tensors: the raw weight and the two singular vectors.
     */
    public static Map<String, Tensor> fromParametrizations(Map<String, Tensor> state) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> {
            java.util.regex.Matcher m = PARAMETRIZED.matcher(k);
            if (!m.matches()) {
                out.put(k, v);
                return;
            }
            String suffix = switch (m.group(3)) {
                case "original" -> "_orig";
                case "0._u" -> "_u";
                default -> "_v";
            };
            out.put(m.group(1) + m.group(2) + suffix, v);
        });
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
            if (state.keySet().stream().anyMatch(k -> PARAMETRIZED.matcher(k).matches())) {
                sb.append("\n  the checkpoint holds torch.nn.utils.parametrizations' spectral norms (\"parametrizations.weight.original\"):"
                        + " StateDicts.fromParametrizations(state) gives them SpectralNorm's keys");
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
