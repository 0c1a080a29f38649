package dev.cortado.nn;

/** {@code nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)}: a {@link BatchNorm2d} sized by its first (N, C, H, W) input. */
public final class LazyBatchNorm2d extends LazyBatchNormNd {
    public LazyBatchNorm2d() {
        this(1e-5, 0.1, true, true);
    }

    /** {@code momentum} null uses a cumulative moving average of the batch statistics. */
    public LazyBatchNorm2d(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm2d", "4-d (N, C, H, W)", eps, momentum, affine, trackRunningStats, 4);
    }
}
