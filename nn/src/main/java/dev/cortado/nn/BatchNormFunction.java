package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** Batch normalisation written with differentiable tensor ops, so it runs and differentiates on any backend. */
final class BatchNormFunction {
    private BatchNormFunction() {
    }

    static Tensor apply(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                        double momentum, double eps) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input with a batch and a channel dim (N, C, ...), got "
                    + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        checkPerChannel("running_mean", runningMean, c, x);
        checkPerChannel("running_var", runningVar, c, x);
        checkPerChannel("weight", weight, c, x);
        checkPerChannel("bias", bias, c, x);
        int[] dims = new int[x.dim() - 1];
        int[] bshape = new int[x.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        for (int d = 0, k = 0; d < x.dim(); d++) {
            if (d != 1) {
                dims[k++] = d;
            }
        }
        Tensor mean;
        Tensor var;
        boolean useBatch = training || runningMean == null || runningVar == null;
        if (useBatch) {
            int count = x.numel() / Math.max(c, 1);
            if (count <= 1) {
                throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input of shape "
                        + Shapes.str(x.shape()));
            }
            mean = x.mean(dims, true);
            var = x.sub(mean).square().mean(dims, true);
            if (training && runningMean != null && runningVar != null) {
                try (var g = GradMode.off()) {
                    runningMean.mul_(1 - momentum).add_(mean.reshape(c), momentum);
                    runningVar.mul_(1 - momentum).add_(var.reshape(c).mul((double) count / (count - 1)), momentum);
                }
            }
        } else {
            mean = runningMean.reshape(bshape);
            var = runningVar.reshape(bshape);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) {
            y = y.mul(weight.reshape(bshape));
        }
        if (bias != null) {
            y = y.add(bias.reshape(bshape));
        }
        return y;
    }

    private static void checkPerChannel(String name, Tensor t, int c, Tensor x) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException("batch_norm: " + name + " " + Shapes.str(t.shape()) + " must have shape (" + c
                    + "), one value per channel of input " + Shapes.str(x.shape()));
        }
    }
}
