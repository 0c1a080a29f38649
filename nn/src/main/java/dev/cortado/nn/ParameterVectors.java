package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils.parameters_to_vector} and {@code vector_to_parameters}: every parameter
 * flattened into one vector (differentiable, for weight-space work such as distances between
 * models), and such a vector written back into the parameters in place.
 */
public final class ParameterVectors {
    private ParameterVectors() {
    }

    /** The parameters, flattened and concatenated in order. */
    public static Tensor parametersToVector(List<Tensor> parameters) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters_to_vector: no parameters given");
        }
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            if (!p.device().equals(parameters.get(0).device())) {
                throw new IllegalArgumentException("parameters_to_vector: parameter " + i + " is on " + p.device() + ", parameter 0 on "
                        + parameters.get(0).device());
            }
            flat.add(p.reshape(-1));
        }
        return Tensor.cat(flat, 0);
    }

    /** Copies consecutive slices of vec into the parameters (in place, outside autograd, as assigning {@code p.data}). */
    public static void vectorToParameters(Tensor vec, List<Tensor> parameters) {
        long total = 0;
        for (Tensor p : parameters) {
            total += p.numel();
        }
        if (vec.dim() != 1 || vec.numel() != total) {
            throw new IllegalArgumentException("vector_to_parameters: expected a 1-d vector of " + total + " elements (the parameters' total), got "
                    + Shapes.str(vec.shape()));
        }
        int at = 0;
        try (var off = GradMode.off()) {
            for (Tensor p : parameters) {
                p.copy_(vec.narrow(0, at, p.numel()).reshape(p.shape()));
                at += p.numel();
            }
        }
    }
}
