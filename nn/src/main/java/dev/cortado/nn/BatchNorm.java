package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * Shared body of {@link BatchNorm1d} and {@link BatchNorm2d}: affine weight and bias, running
 * mean and (unbiased) variance with {@code momentum}, or a cumulative average when momentum is
 * null, and {@code num_batches_tracked}, exactly as PyTorch keeps them.
 */
public class BatchNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final int[] ranks;

    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, int... ranks) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.ranks = ranks;
        weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        numBatchesTracked = trackRunningStats
                ? registerBuffer("num_batches_tracked", Tensor.zeros(new int[0], DType.INT64, Cortado.defaultDevice()))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean rankOk = false;
        for (int r : ranks) {
            rankOk |= x.dim() == r;
        }
        if (!rankOk || x.size(1) != numFeatures) {
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

    private String expected() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranks.length; i++) {
            sb.append(i > 0 ? " or " : "").append(ranks[i]).append("-d");
        }
        return sb.toString();
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + (momentum == null ? "None" : momentum) + ", affine="
                + (weight != null ? "True" : "False") + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
