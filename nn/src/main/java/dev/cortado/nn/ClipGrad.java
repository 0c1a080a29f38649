package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: rescale or clamp the
 * parameters' gradients in place, between {@code backward()} and the optimizer's step. The
 * scale stays a tensor on the gradients' device, so clipping reads nothing back from a GPU
 * unless asked to check the norm.
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@link #clipGradNorm_(Iterable, double, double, boolean)} with the 2-norm, not checking that it is finite. */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2, false);
    }

    /**
     * Scales every gradient by {@code min(1, maxNorm / (total + 1e-6))}, where total is the
     * normType-norm of all gradients together (of each gradient's norm, as PyTorch computes it;
     * {@code Double.POSITIVE_INFINITY} gives the largest magnitude). Parameters without a
     * gradient are skipped. Returns the total norm before clipping, a 0-dim float32 tensor (0
     * when no parameter has a gradient). With {@code errorIfNonfinite}, a NaN or infinite total
     * is an error instead, which reads the total back from the device.
     */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clip_grad_norm_: norm_type must be positive (or infinity), got " + normType);
        }
        List<Tensor> grads = grads(parameters);
        if (grads.isEmpty()) {
            return Tensor.zeros(new int[0], DType.FLOAT32, Device.CPU);
        }
        try (var off = GradMode.off()) {
            Device device = grads.get(0).device();
            List<Tensor> norms = new ArrayList<>(grads.size());
            for (Tensor g : grads) {
                if (!g.device().equals(device)) {
                    throw new IllegalArgumentException("clip_grad_norm_: gradients on " + device + " and " + g.device()
                            + "; move the parameters to one device");
                }
                norms.add(norm(g, normType));
            }
            Tensor total = norm(Tensor.stack(norms, 0), normType);
            if (errorIfNonfinite) {
                double t = total.item();
                if (Double.isNaN(t) || Double.isInfinite(t)) {
                    throw new IllegalStateException("clip_grad_norm_: the total norm of order " + normType + " for gradients from "
                            + "parameters is non-finite (" + t + "), so it cannot be clipped; to scale the gradients by it anyway, pass "
                            + "errorIfNonfinite = false");
                }
            }
            // PyTorch's max_norm / (total + 1e-6) is a reciprocal times max_norm, in float32.
            Tensor coef = Tensor.full(new int[0], 1, DType.FLOAT32, device).div(total.add(1e-6)).mul(maxNorm).clampMax(1.0);
            for (Tensor g : grads) {
                g.mul_(coef);
            }
            return total;
        }
    }

    /** Clamps every gradient into [−clipValue, clipValue] in place, as {@code clip_grad_value_}. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clip_grad_value_: clip_value must be non-negative, got " + clipValue);
        }
        try (var off = GradMode.off()) {
            for (Tensor g : grads(parameters)) {
                g.copy_(g.clamp(-clipValue, clipValue));
            }
        }
    }

    private static List<Tensor> grads(Iterable<Tensor> parameters) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }

    /** The p-norm of every element of t, as a 0-dim tensor; 0 for a gradient without elements. */
    private static Tensor norm(Tensor t, double p) {
        return t.numel() == 0 ? Tensor.zeros(new int[0], DType.FLOAT32, t.device()) : t.norm(p);
    }
}
