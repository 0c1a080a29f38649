package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Layer and group normalisation, composed from tensor ops so that every backend has them with
 * their gradients: each sample's values are centred and divided by sqrt(biased variance + eps)
 * over its trailing dims (layer norm) or over each group of channels (group norm), then scaled
 * and shifted per element or per channel.
 */
final class GroupStatistics {
    private GroupStatistics() {
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int lead = x.dim() - k;
        boolean fits = k > 0 && lead >= 0;
        for (int i = 0; fits && i < k; i++) {
            fits = x.size(lead + i) == normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("layerNorm: given normalized_shape " + Shapes.str(normalizedShape)
                    + ", expected an input whose trailing dims are " + Shapes.str(normalizedShape) + ", got " + Shapes.str(x.shape()));
        }
        requireAffine("layerNorm", weight, normalizedShape, "normalized_shape");
        requireAffine("layerNorm", bias, normalizedShape, "normalized_shape");
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = lead + i;
        }
        Tensor y = standardize(x, dims, eps);
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias != null ? y.add(bias) : y;
    }

    static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2 || numGroups <= 0 || x.size(1) % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: expected an input (N, C, *) whose C is divisible by num_groups=" + numGroups
                    + ", got " + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        requireAffine("groupNorm", weight, new int[] {c}, "the input's channels");
        requireAffine("groupNorm", bias, new int[] {c}, "the input's channels");
        int n = x.size(0);
        // (N, G, C/G * spatial): one row of statistics per sample and group.
        Tensor grouped = x.numel() == 0 ? x.reshape(n, numGroups, 0) : x.reshape(n, numGroups, -1);
        Tensor y = standardize(grouped, new int[] {2}, eps).reshape(x.shape());
        int[] perChannel = new int[x.dim() - 1];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = c;
        if (weight != null) {
            y = y.mul(weight.reshape(perChannel));
        }
        return bias != null ? y.add(bias.reshape(perChannel)) : y;
    }

    /** (x - mean) / sqrt(var + eps) over dims, with the biased variance, as both norms use. */
    private static Tensor standardize(Tensor x, int[] dims, double eps) {
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor var = centred.square().mean(dims, true);
        return centred.div(var.add(eps).sqrt());
    }

    private static void requireAffine(String op, Tensor t, int[] shape, String what) {
        if (t != null && !java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(op + ": weight and bias must have the shape of " + what + ", " + Shapes.str(shape) + ", got "
                    + Shapes.str(t.shape()));
        }
    }
}
