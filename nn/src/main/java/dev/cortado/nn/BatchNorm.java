package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Shared body of {@link BatchNorm1d} and {@link BatchNorm2d}: affine weight and bias, running
 * mean and (unbiased) variance with {@code momentum}, or a cumulative average when momentum is
 * null, and {@code num_batches_tracked}, exactly as PyTorch keeps them.
 */
public class BatchNorm extends NormBase {
    private Double momentum;
    private final int[] ranks;

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, int... ranks) {
        super(numFeatures, eps, affine, trackRunningStats);
        this.momentum = momentum;
        this.ranks = ranks;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!takesRank(x.dim()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + numFeatures + "): expected a " + expected()
                    + " input with " + numFeatures + " channels in dim 1, got " + Shapes.str(x.shape()));
        }
        double factor = momentum == null ? 0 : momentum;
        if (isTraining() && numBatchesTracked != null) {
            try (var g = GradMode.off()) {
                numBatchesTracked.add_(1);
            }
            if (momentum == null) {
                factor = 1.0 / numBatchesTracked.item();
            }
        }
        return traced(dev.cortado.tensor.Normalization.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), factor, eps));
    }

    /** Whether the layer takes inputs of this many dims. */
    final boolean takesRank(int dims) {
        for (int r : ranks) {
            if (dims == r) {
                return true;
            }
        }
        return false;
    }

    /** The running statistics' momentum; null means a cumulative average over the batches tracked. */
    public Double momentum() {
        return momentum;
    }

    /** Sets the momentum, as PyTorch's {@code bn.momentum = ...}; null for a cumulative average. */
    public void setMomentum(Double momentum) {
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": momentum must be in [0, 1] or null, got " + momentum);
        }
        this.momentum = momentum;
    }

    private String expected() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranks.length; i++) {
            sb.append(i > 0 ? " or " : "").append(ranks[i]).append("-d");
        }
        return sb.toString();
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Py.floatRepr(eps) + ", momentum=" + (momentum == null ? "None" : Py.floatRepr(momentum)) + ", affine="
                + (weight != null ? "True" : "False") + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
