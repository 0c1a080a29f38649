package dev.cortado.nn;

/** {@code nn.InstanceNorm2d}: each sample's channel of a (N, C, H, W) or (C, H, W): over H × W. */
public final class InstanceNorm2d extends InstanceNormNd {
    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, false, false);
    }

    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(2, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
