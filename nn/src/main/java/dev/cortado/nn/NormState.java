package dev.cortado.nn;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

/**
 * The parameters and buffers PyTorch's {@code _NormBase} registers for batch and instance norm:
 * weight (ones) and bias (zeros) when affine; running mean (zeros), running variance (ones) and
 * the int64 {@code num_batches_tracked} when tracking running statistics; null otherwise.
 */
record NormState(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, Tensor numBatchesTracked) {
    static NormState register(Module m, int numFeatures, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        }
        return new NormState(
                affine ? m.registerParameter("weight", Tensor.ones(numFeatures)) : null,
                affine ? m.registerParameter("bias", Tensor.zeros(numFeatures)) : null,
                trackRunningStats ? m.registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null,
                trackRunningStats ? m.registerBuffer("running_var", Tensor.ones(numFeatures)) : null,
                trackRunningStats ? m.registerBuffer("num_batches_tracked", Tensor.zeros(new int[0], DType.INT64, Cortado.defaultDevice())) : null);
    }
}
