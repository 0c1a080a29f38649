package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalisation as one fused op ({@code torch.nn.functional.batch_norm}): the statistics,
 * the normalisation and the gradient each take one or two passes over the data in the backend
 * instead of the ten-odd elementwise ops and reductions of the textbook formula.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Normalises x (N, C, ...) per channel. In training (or without running statistics) it uses
     * the batch's mean and biased variance and, when running statistics are given, moves them
     * towards the batch's mean and unbiased variance by {@code momentum}; otherwise it uses the
     * running statistics. weight, bias, runningMean and runningVar are (C) or null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                                   double momentum, double eps) {
        check(x, runningMean, runningVar, weight, bias);
        int c = x.size(1);
        Tensor input = x.contiguous();
        Backend be = Kernels.backend(input);
        boolean batchStats = training || runningMean == null || runningVar == null;
        Tensor mean;
        Tensor invstd;
        if (batchStats) {
            int count = input.numel() / Math.max(c, 1);
            if (count <= 1) {
                throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input of shape "
                        + Shapes.str(x.shape()));
            }
            mean = Kernels.empty(new int[] {c}, DType.FLOAT32, input.device());
            boolean update = training && runningMean != null && runningVar != null;
            Tensor rm = update ? runningMean : null;
            Tensor rv = update ? runningVar : null;
            if (update) {
                // The backend writes them directly; an evaluation graph may have saved them.
                InPlace.written(runningMean);
                InPlace.written(runningVar);
            }
            double unbias = (double) count / (count - 1);
            invstd = Kernels.empty(new int[] {c}, DType.FLOAT32, input.device());
            boolean fusable = rm == null || rm.isContiguous() && rv.isContiguous();
            if (!fusable || !be.batchNormStatsAndUpdate(mean, invstd, rm, rv, input, eps, momentum, unbias)) {
                Tensor var = Kernels.empty(new int[] {c}, DType.FLOAT32, input.device());
                be.batchNormStats(mean, var, input);
                invstd = finishStats(be, invstd, mean, var, rm, rv, eps, momentum, unbias);
            }
        } else {
            try (var off = GradMode.off()) {
                mean = runningMean.contiguous();
            }
            invstd = finishStats(be, Kernels.empty(new int[] {c}, DType.FLOAT32, input.device()), mean, runningVar, null, null, eps, momentum, 1);
        }
        Tensor w = weight == null ? null : weight.contiguous();
        Tensor out = Kernels.emptyLike(input, DType.FLOAT32);
        be.batchNormApply(out, input, mean, invstd, w, bias == null ? null : bias.contiguous());
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        if (weight != null) {
            inputs.add(weight);
        }
        if (bias != null) {
            inputs.add(bias);
        }
        Tensor m = mean;
        Tensor s = invstd;
        // In evaluation, m is the running mean itself, which a training step would move.
        return Autograd.record(out, "NativeBatchNormBackward0", Autograd.saved(input, m, s, w), (g, needs) -> {
            if (GradMode.isEnabled()) {
                // A pass that records its gradients' graph (createGraph).
                return BatchNormGradients.of(g, input, w, bias != null, needs, batchStats, m, s, eps);
            }
            Tensor gx = needs[0] ? Kernels.emptyLike(input, DType.FLOAT32) : null;
            Tensor gw = weight != null && needs[1] ? Kernels.empty(new int[] {c}, DType.FLOAT32, input.device()) : null;
            Tensor gb = bias != null && needs[inputs.size() - 1] ? Kernels.empty(new int[] {c}, DType.FLOAT32, input.device()) : null;
            be.batchNormBackward(gx, gw, gb, g.contiguous(), input, m, s, w, batchStats);
            Tensor[] grads = new Tensor[inputs.size()];
            grads[0] = gx;
            if (weight != null) {
                grads[1] = gw;
            }
            if (bias != null) {
                grads[inputs.size() - 1] = gb;
            }
            return grads;
        }, inputs.toArray(Tensor[]::new));
    }

    /**
     * (var + eps)^(−1/2), and the running statistics moved towards mean and var·unbias when given:
     * one backend pass where the backend has it ({@link Backend#batchNormUpdateStats}, which a GPU
     * has: otherwise nine small launches per layer), else the elementwise ops, with the same bits.
     * {@code invstd} is the (C) tensor the backend pass writes; the elementwise ops make their own
     * and free it.
     */
    private static Tensor finishStats(Backend be, Tensor invstd, Tensor mean, Tensor var, Tensor runningMean, Tensor runningVar,
                                      double eps, double momentum, double unbias) {
        try (var off = GradMode.off()) {
            Tensor v = var.contiguous();
            boolean fusable = runningMean == null || runningMean.isContiguous() && runningVar.isContiguous();
            if (fusable && be.batchNormUpdateStats(invstd, runningMean, runningVar, mean, v, eps, momentum, unbias)) {
                return invstd;
            }
            invstd.close();
            if (runningMean != null) {
                runningMean.mul_(1 - momentum).add_(mean, momentum);
                runningVar.mul_(1 - momentum).add_(v.mul(unbias), momentum);
            }
            return v.add(eps).pow(-0.5);
        }
    }

    private static void check(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batch_norm: expected an input with a batch and a channel dim (N, C, ...), got "
                    + Shapes.str(x.shape()));
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("batch_norm: input must be float32, got " + x.dtype());
        }
        int c = x.size(1);
        checkPerChannel("running_mean", runningMean, c, x);
        checkPerChannel("running_var", runningVar, c, x);
        checkPerChannel("weight", weight, c, x);
        checkPerChannel("bias", bias, c, x);
    }

    private static void checkPerChannel(String name, Tensor t, int c, Tensor x) {
        if (t == null) {
            return;
        }
        if (t.dim() != 1 || t.size(0) != c) {
            throw new IllegalArgumentException("batch_norm: " + name + " " + Shapes.str(t.shape()) + " must have shape (" + c
                    + "), one value per channel of input " + Shapes.str(x.shape()));
        }
        if (t.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("batch_norm: " + name + " must be float32, got " + t.dtype());
        }
        Kernels.sameDevice("batch_norm", x, t);
    }
}
