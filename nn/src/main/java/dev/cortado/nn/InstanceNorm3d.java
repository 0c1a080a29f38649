package dev.cortado.nn;

/** {@code nn.InstanceNorm3d}: each sample's channel of a (N, C, D, H, W) or (C, D, H, W): over D × H × W. */
public final class InstanceNorm3d extends InstanceNormNd {
    public InstanceNorm3d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, false, false);
    }

    public InstanceNorm3d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(3, numFeatures, eps, momentum, affine, trackRunningStats);
    }
}
