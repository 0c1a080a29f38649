package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * The instance norms of one, two and three spatial dims ({@code nn.InstanceNorm1d/2d/3d(
 * num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)}): each sample's
 * channel normalised over its own positions. Computed as PyTorch does, as a batch norm of the
 * (1, N·C, ...) view with the channel's parameters and running statistics repeated per sample;
 * the running statistics then take the samples' mean. {@code num_batches_tracked} is kept for
 * PyTorch's state dict and, as there, never counts. An input without the batch dim is one sample.
 */
public abstract class InstanceNormNd extends NormBase {
    private final double momentum;
    private final int dims;

    InstanceNormNd(int dims, int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, affine, trackRunningStats);
        this.dims = dims;
        this.momentum = momentum;
    }

    @Override
    public Tensor forward(Tensor input) {
        String name = getClass().getSimpleName();
        if (input.dim() == dims + 1) {
            return forward(input.unsqueeze(0)).squeeze(0);
        }
        if (input.dim() != dims + 2 || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(name + "(" + numFeatures + "): expected a " + (dims + 1) + "-d or " + (dims + 2) + "-d input with "
                    + numFeatures + " channels, got " + Shapes.str(input.shape()));
        }
        int n = input.size(0);
        int[] shape = input.shape();
        int positions = input.numel() / Math.max(1, n * numFeatures);
        boolean useInputStats = isTraining() || runningMean == null;
        if (useInputStats && positions <= 1) {
            throw new IllegalArgumentException(name + ": expected more than 1 spatial element when training, got input size "
                    + Shapes.str(shape));
        }
        int[] stacked = shape.clone();
        stacked[0] = 1;
        stacked[1] = n * numFeatures;
        Tensor mean = runningMean == null ? null : runningMean.repeat(n);
        Tensor var = runningVar == null ? null : runningVar.repeat(n);
        Tensor w = weight == null ? null : weight.repeat(n);
        Tensor b = bias == null ? null : bias.repeat(n);
        Tensor out = Normalization.batchNorm(input.reshape(stacked), mean, var, w, b, useInputStats, momentum, eps)
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
