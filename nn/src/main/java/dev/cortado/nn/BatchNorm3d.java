package dev.cortado.nn;

/** {@code nn.BatchNorm3d} over (N, C, D, H, W) inputs; defaults eps 1e-5, momentum 0.1. */
public final class BatchNorm3d extends BatchNorm {
    public BatchNorm3d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** {@code momentum} null uses a cumulative moving average of the batch statistics. */
    public BatchNorm3d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, 5);
    }
}
