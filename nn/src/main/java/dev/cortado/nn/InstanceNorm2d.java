package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code nn.InstanceNorm2d(num_features, eps=1e-5, momentum=0.1, affine=False,
 * track_running_stats=False)}: each sample's channel normalised over its own H × W. Computed as
 * PyTorch does, as a batch norm of the (1, N·C, H, W) view with the channel's parameters and
 * running statistics repeated per sample; the running statistics then take the samples' mean.
 * {@code num_batches_tracked} is kept for PyTorch's state dict and, as there, never counts.
 */
public final class InstanceNorm2d extends Module {
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;
    private final int numFeatures;
    private final double eps;
    private final double momentum;

    public InstanceNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, false, false);
    }

    public InstanceNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        NormState state = NormState.register(this, numFeatures, affine, trackRunningStats);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        weight = state.weight();
        bias = state.bias();
        runningMean = state.runningMean();
        runningVar = state.runningVar();
        numBatchesTracked = state.numBatchesTracked();
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 3) {
            return forward(input.unsqueeze(0)).squeeze(0);
        }
        if (input.dim() != 4 || input.size(1) != numFeatures) {
            throw new IllegalArgumentException("InstanceNorm2d(" + numFeatures + "): expected a 3-d or 4-d input with " + numFeatures
                    + " channels, got " + Shapes.str(input.shape()));
        }
        int n = input.size(0);
        int[] shape = input.shape();
        boolean useInputStats = isTraining() || runningMean == null;
        if (useInputStats && shape[2] * shape[3] <= 1) {
            throw new IllegalArgumentException("InstanceNorm2d: expected more than 1 spatial element when training, got input size "
                    + Shapes.str(shape));
        }
        Tensor mean = runningMean == null ? null : runningMean.repeat(n);
        Tensor var = runningVar == null ? null : runningVar.repeat(n);
        Tensor w = weight == null ? null : weight.repeat(n);
        Tensor b = bias == null ? null : bias.repeat(n);
        Tensor out = Normalization.batchNorm(input.reshape(1, n * numFeatures, shape[2], shape[3]), mean, var, w, b, useInputStats, momentum, eps)
                .reshape(shape);
        if (useInputStats && runningMean != null) {
            try (var g = GradMode.off()) {
                runningMean.copy_(mean.view(n, numFeatures).mean(new int[] {0}, false));
                runningVar.copy_(var.view(n, numFeatures).mean(new int[] {0}, false));
            }
        }
        return traced(out);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Py.floatRepr(eps) + ", momentum=" + Py.floatRepr(momentum) + ", affine=" + (weight != null ? "True" : "False")
                + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
