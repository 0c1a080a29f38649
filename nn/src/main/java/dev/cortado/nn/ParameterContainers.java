package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

import java.util.Map;

/** The repr PyTorch gives ParameterList and ParameterDict: one line per parameter, its dtype and size. */
final class ParameterContainers {
    private ParameterContainers() {
    }

    /**
     * {@code name(\n    (key): Parameter containing: [type of size 3x4]\n)}: PyTorch's extra_repr
     * lines, each indented by two, joined by Module's repr with two more; a single one stays on the
     * opening line. {@code typeNames} picks ParameterDict's {@code torch.FloatTensor} over
     * ParameterList's {@code torch.float32}.
     */
    static String repr(String name, Map<String, Tensor> parameters, boolean typeNames) {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (var e : parameters.entrySet()) {
            Tensor p = e.getValue();
            String type = typeNames ? typeName(p) : "torch." + (p.dtype() == DType.INT64 ? "int64" : "float32");
            String size = String.join("x", java.util.Arrays.stream(p.shape()).mapToObj(Integer::toString).toList());
            String device = p.device().type().equals("cuda") ? " (GPU " + p.device().index() + ")" : "";
            String line = "  (" + e.getKey() + "): Parameter containing: [" + type + " of size " + size + device + "]";
            sb.append(parameters.size() == 1 ? line : "\n  " + line);
        }
        return sb.append(parameters.size() > 1 ? "\n)" : ")").toString();
    }

    /** {@code torch.typename}: torch.FloatTensor, torch.cuda.LongTensor, ... */
    private static String typeName(Tensor p) {
        String cuda = p.device().type().equals("cuda") ? "cuda." : "";
        return "torch." + cuda + (p.dtype() == DType.INT64 ? "LongTensor" : "FloatTensor");
    }
}
