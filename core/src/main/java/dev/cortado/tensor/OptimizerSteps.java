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

    /**
     * {@link #sgdMomentum_} for aligned lists of parameters, gradients and momentum buffers, in
     * one backend call ({@link dev.cortado.backend.Backend#sgdMomentumSteps}) when every triple
     * could be fused alone and all lie on one device; otherwise, or where the backend has no
     * fused step, changes nothing and returns false.
     */
    public static boolean sgdMomentumAll_(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> bufs, double lr,
                                          double momentum, double dampening, double weightDecay, boolean nesterov) {
        if (params.isEmpty()) {
            return true;
        }
        if (!fusableTogether("sgdMomentum_", params, grads, bufs)) {
            return false;
        }
        return Kernels.backend(params.get(0)).sgdMomentumSteps(params, grads, bufs, lr, momentum, dampening, weightDecay, nesterov);
    }

    /**
     * {@link #adam_} for aligned lists (maxExpAvgSqs null unless AMSGrad), each parameter at its
     * own step count, in one backend call ({@link dev.cortado.backend.Backend#adamSteps}) when
     * every parameter could be fused alone and all lie on one device; otherwise, or where the
     * backend has no fused step, changes nothing and returns false.
     */
    public static boolean adamAll_(java.util.List<Tensor> params, java.util.List<Tensor> grads, java.util.List<Tensor> expAvgs,
                                   java.util.List<Tensor> expAvgSqs, java.util.List<Tensor> maxExpAvgSqs, double lr, double beta1, double beta2,
                                   double eps, double weightDecay, boolean decoupled, double[] steps) {
        if (params.isEmpty()) {
            return true;
        }
        if (!fusableTogether("adam_", params, grads, expAvgs, expAvgSqs, maxExpAvgSqs)) {
            return false;
        }
        return Kernels.backend(params.get(0)).adamSteps(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, lr, beta1, beta2, eps, weightDecay,
                decoupled, steps);
    }

    /**
     * {@link dev.cortado.backend.Backend#adamStep} (same bits as Adam's elementwise ops) when param,
     * grad and the state are distinct contiguous float32 tensors of one shape on one device
     * (maxExpAvgSq null unless AMSGrad) and the backend has the kernel; otherwise changes nothing
     * and returns false.
     */
    public static boolean adam_(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1,
                                double beta2, double eps, double weightDecay, boolean decoupled, double step) {
        InPlace.check("adam_", param);
        Tensor[] others = maxExpAvgSq == null ? new Tensor[] {grad, expAvg, expAvgSq} : new Tensor[] {grad, expAvg, expAvgSq, maxExpAvgSq};
        for (int i = 0; i < others.length; i++) {
            if (!fuses(param, others[i])) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (others[i].storage == others[j].storage) {
                    return false;
                }
            }
        }
        return Kernels.backend(param).adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, decoupled,
                step);
    }

    /**
     * Whether one pass may update every parameter with its state lists (a null list is skipped):
     * each could be fused alone, all lie on one device, and nothing one update writes (a
     * parameter, its state) is written or read (a gradient) by another, since a single pass may
     * run the updates in any order.
     */
    @SafeVarargs
    private static boolean fusableTogether(String op, java.util.List<Tensor> params, java.util.List<Tensor> grads,
                                           java.util.List<Tensor>... states) {
        Device device = params.get(0).device();
        java.util.Set<Object> written = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            InPlace.check(op, p);
            if (!p.device().equals(device) || !fuses(p, grads.get(i)) || !written.add(p.storage)) {
                return false;
            }
            for (java.util.List<Tensor> state : states) {
                if (state != null && (!fuses(p, state.get(i)) || !written.add(state.get(i).storage))) {
                    return false;
                }
            }
        }
        for (Tensor g : grads) {
            if (written.contains(g.storage)) {
                return false;
            }
        }
        return true;
    }

    /** Whether t can be read alongside param by one elementwise pass: same shape, device and dtype, both contiguous, no shared storage. */
    private static boolean fuses(Tensor param, Tensor t) {
        return param.dtype() == DType.FLOAT32 && t.dtype() == DType.FLOAT32 && param.device().equals(t.device())
                && java.util.Arrays.equals(param.shape, t.shape) && param.isContiguous() && t.isContiguous() && param.storage != t.storage;
    }
}
