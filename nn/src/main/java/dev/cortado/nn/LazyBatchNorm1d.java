package dev.cortado.nn;

/** {@code nn.LazyBatchNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)}: a {@link BatchNorm1d} sized by its first (N, C) or (N, C, L) input. */
public final class LazyBatchNorm1d extends LazyBatchNormNd {
    public LazyBatchNorm1d() {
        this(1e-5, 0.1, true, true);
    }

    /** {@code momentum} null uses a cumulative moving average of the batch statistics. */
    public LazyBatchNorm1d(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm1d", "2-d (N, C) or 3-d (N, C, L)", eps, momentum, affine, trackRunningStats, 2, 3);
    }
}
