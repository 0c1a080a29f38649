package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

/**
 * What PyTorch's {@code _NormBase} holds for batch and instance norm: weight (ones) and bias
 * (zeros) when affine; running mean (zeros), running variance (ones) and the int64
 * {@code num_batches_tracked} when tracking running statistics; null otherwise.
 */
public abstract class NormBase extends Module {
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;
    /** 0 until a lazy layer sees its first input. */
    int numFeatures;
    final double eps;

    NormBase(int numFeatures, double eps, boolean affine, boolean trackRunningStats) {
        if (numFeatures < 0 || numFeatures == 0 && !(this instanceof LazyModule)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        // A lazy layer's are empty until its first input gives their size.
        weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(new int[0], DType.INT64, Cortado.defaultDevice())) : null;
    }

    /** A lazy layer's sizing: its empty placeholders filled with the initial values for numFeatures channels. */
    final void materialize(int channels) {
        LazyModule.fill(new Tensor[] {weight, bias, runningMean, runningVar},
                new Tensor[] {Tensor.ones(channels), Tensor.zeros(channels), Tensor.zeros(channels), Tensor.ones(channels)});
        numFeatures = channels;
    }
}
