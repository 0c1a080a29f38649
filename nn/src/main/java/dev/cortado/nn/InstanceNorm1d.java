package dev.cortado.nn;

/** {@code nn.InstanceNorm1d}: each sample's channel of a (N, C, L) or (C, L): over L. */
public final class InstanceNorm1d extends InstanceNormNd {
    public InstanceNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, false, false);
    }

    public InstanceNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(1, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
