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
        boolean useInputStats = isTraining() || runningMean == null;
        Tensor out = instanceNorm(name, input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
        return traced(out);
    }

    /**
     * {@code F.instance_norm}: each sample's channel of (N, C, ...) normalised over its own
     * positions (useInputStats) or by the running statistics; those (null for none) take the
     * mean over the samples of their batch-norm updates. {@code name} heads the errors.
     */
    static Tensor instanceNorm(String name, Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                               boolean useInputStats, double momentum, double eps) {
        if (input.dim() < 3) {
            throw new IllegalArgumentException(name + ": expected an input (N, C, ...) with at least one spatial dim, got "
                    + Shapes.str(input.shape()));
        }
        int n = input.size(0);
        int c = input.size(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException(name + ": running statistics, weight and bias must hold one value per channel (" + c
                        + "), got " + Shapes.str(t.shape()) + " for input " + Shapes.str(input.shape()));
            }
        }
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException(name + ": give both running_mean and running_var, or neither");
        }
        if (!useInputStats && runningMean == null) {
            throw new IllegalArgumentException(name + ": use_input_stats=False needs running_mean and running_var");
        }
        int[] shape = input.shape();
        int positions = input.numel() / Math.max(1, n * c);
        if (useInputStats && positions <= 1) {
            throw new IllegalArgumentException(name + ": expected more than 1 spatial element when training, got input size "
                    + Shapes.str(shape));
        }
        int[] stacked = shape.clone();
        stacked[0] = 1;
        stacked[1] = n * c;
        Tensor mean = runningMean == null ? null : runningMean.repeat(n);
        Tensor var = runningVar == null ? null : runningVar.repeat(n);
        Tensor w = weight == null ? null : weight.repeat(n);
        Tensor b = bias == null ? null : bias.repeat(n);
        Tensor out = Normalization.batchNorm(input.reshape(stacked), mean, var, w, b, useInputStats, momentum, eps).reshape(shape);
        if (useInputStats && runningMean != null) {
            try (var g = GradMode.off()) {
                runningMean.copy_(mean.view(n, c).mean(new int[] {0}, false));
                runningVar.copy_(var.view(n, c).mean(new int[] {0}, false));
            }
        }
        return out;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Py.floatRepr(eps) + ", momentum=" + Py.floatRepr(momentum) + ", affine=" + (weight != null ? "True" : "False")
                + ", track_running_stats=" + (runningMean != null ? "True" : "False");
    }
}
