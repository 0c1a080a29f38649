package dev.cortado.nn;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Dropout masks drawn from the default generator, so {@code Cortado.manualSeed} makes them
 * repeatable, and drawn by the input's backend, so they are the same on every device.
 */
final class DropoutFunction {
    private DropoutFunction() {
    }

    static Tensor dropout(Tensor x, double p, boolean training, boolean channels) {
        String op = channels ? "dropout2d" : "dropout";
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, but got " + p);
        }
        if (channels && x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got " + Shapes.str(x.shape()));
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0);
        }
        int[] maskShape = x.shape();
        if (channels) {
            for (int d = maskShape.length - 2; d < maskShape.length; d++) {
                maskShape[d] = 1;
            }
        }
        // PyTorch's formulation: keep with probability 1 − p and scale the kept by 1 / (1 − p).
        Tensor keep = Tensor.empty(maskShape, DType.FLOAT32, x.device()).bernoulli_(1 - p).div_(1 - p);
        return x.mul(keep);
    }
}
