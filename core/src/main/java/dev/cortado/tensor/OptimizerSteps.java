package dev.cortado.tensor;

/**
 * Fused in-place parameter updates for optimizers, run where the parameter's backend has a kernel
 * for them; the optimizer falls back to elementwise ops when a method here returns false.
 */
public final class OptimizerSteps {
    private OptimizerSteps() {
    }

    /**
     * {@link dev.cortado.backend.Backend#sgdMomentumStep} (same bits as SGD's elementwise ops)
     * when param, grad and buf are distinct contiguous float32 tensors of one shape on one device
     * and the backend has the kernel; otherwise changes nothing and returns false.
     */
    public static boolean sgdMomentum_(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
                                       double weightDecay, boolean nesterov) {
        InPlace.check("sgdMomentum_", param);
        if (!fuses(param, grad) || !fuses(param, buf) || grad.storage == buf.storage) {
            return false;
        }
        return Kernels.backend(param).sgdMomentumStep(param, grad, buf, lr, momentum, dampening, weightDecay, nesterov);
    }

    /** Whether t can be read alongside param by one elementwise pass: same shape, device and dtype, both contiguous, no shared storage. */
    private static boolean fuses(Tensor param, Tensor t) {
        return param.dtype() == DType.FLOAT32 && t.dtype() == DType.FLOAT32 && param.device().equals(t.device())
                && java.util.Arrays.equals(param.shape, t.shape) && param.isContiguous() && t.isContiguous() && param.storage != t.storage;
    }
}
