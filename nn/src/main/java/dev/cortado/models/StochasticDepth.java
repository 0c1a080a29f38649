package dev.cortado.models;

import dev.cortado.nn.Module;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's {@code StochasticDepth(p, mode)}: in training, drops a residual branch with
 * probability p, for each sample ({@code "row"}) or for the whole batch ({@code "batch"}), and
 * scales what survives by 1 / (1 - p); the identity in evaluation. Masks come from the default
 * generator, as dropout's.
 */
public final class StochasticDepth extends Module {
    private final double p;
    private final boolean row;

    public StochasticDepth(double p, String mode) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("StochasticDepth: drop probability has to be between 0 and 1, but got " + p);
        }
        if (!mode.equals("row") && !mode.equals("batch")) {
            throw new IllegalArgumentException("StochasticDepth: mode has to be either 'batch' or 'row', but got '" + mode + "'");
        }
        this.p = p;
        this.row = mode.equals("row");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        int[] shape = new int[x.dim()];
        java.util.Arrays.fill(shape, 1);
        if (row) {
            shape[0] = x.size(0);
        }
        double survival = 1 - p;
        Tensor noise = Tensor.empty(shape, DType.FLOAT32, x.device()).bernoulli_(survival);
        if (survival > 0) {
            noise.div_(survival);
        }
        return x.mul(noise);
    }
}
