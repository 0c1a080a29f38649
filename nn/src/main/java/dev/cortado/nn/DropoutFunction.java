package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Dropout masks drawn from the default generator, so {@code Cortado.manualSeed} makes them
 * repeatable, and drawn by the input's backend, so they are the same on every device. Feature
 * dropout draws one mask element per channel; alpha dropout replaces dropped elements by SELU's
 * negative saturation and rescales so that SELU's zero mean and unit variance survive.
 */
final class DropoutFunction {
    /** SELU's scale · alpha: the value SELU tends to at −∞, negated. */
    private static final double SELU_SATURATION = 1.7580993408473766;

    private DropoutFunction() {
    }

    /** {@code F.dropout} or {@code F.alpha_dropout}: a mask element per input element. */
    static Tensor dropout(String op, Tensor x, double p, boolean training, boolean alpha) {
        checkProbability(op, p);
        return apply(x, p, training, alpha, x.shape());
    }

    /**
     * {@code F.dropout1d/2d/3d}: an input of {@code spatial} dims after its channels, batched or
     * not, loses whole channels.
     */
    static Tensor featureDropout(String op, Tensor x, double p, boolean training, int spatial) {
        checkProbability(op, p);
        if (x.dim() != spatial + 1 && x.dim() != spatial + 2) {
            String expected = switch (spatial) {
                case 1 -> "a 2-d (C, L) or 3-d (N, C, L)";
                case 2 -> "a 3-d (C, H, W) or 4-d (N, C, H, W)";
                default -> "a 4-d (C, D, H, W) or 5-d (N, C, D, H, W)";
            };
            throw new IllegalArgumentException(op + ": expected " + expected + " input, got " + Shapes.str(x.shape()));
        }
        return apply(x, p, training, false, channelMask(x, x.dim() - spatial - 1));
    }

    /** {@code F.feature_alpha_dropout}: alpha dropout of whole channels of an (N, C, ...) input. */
    static Tensor featureAlphaDropout(Tensor x, double p, boolean training) {
        String op = "feature_alpha_dropout";
        checkProbability(op, p);
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected an input of at least 2 dims (N, C, ...), got " + Shapes.str(x.shape()));
        }
        return apply(x, p, training, true, channelMask(x, 1));
    }

    private static void checkProbability(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, but got " + p);
        }
    }

    /** The input's shape with every dim after the channel dim set to 1. */
    private static int[] channelMask(Tensor x, int channelDim) {
        int[] shape = x.shape();
        for (int d = channelDim + 1; d < shape.length; d++) {
            shape[d] = 1;
        }
        return shape;
    }

    private static Tensor apply(Tensor x, double p, boolean training, boolean alpha, int[] maskShape) {
        if (!training || p == 0 || x.numel() == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0);
        }
        Tensor keep = Tensor.empty(maskShape, DType.FLOAT32, x.device()).bernoulli_(1 - p);
        if (!alpha) {
            // PyTorch's formulation: keep with probability 1 − p and scale the kept by 1 / (1 − p).
            return x.mul(keep.div_(1 - p));
        }
        // PyTorch's: a·(x·keep + α'·(1 − keep)) + b, with a and b chosen so that a unit-variance,
        // zero-mean input keeps both moments; written as x·(a·keep) + (a·α'·(keep − 1) + a·α'·p).
        double a = 1 / Math.sqrt((SELU_SATURATION * SELU_SATURATION * p + 1) * (1 - p));
        Tensor shift = keep.sub(1).mul_(SELU_SATURATION * a).add_(SELU_SATURATION * a * p);
        return x.mul(keep.mul_(a)).add(shift);
    }
}
