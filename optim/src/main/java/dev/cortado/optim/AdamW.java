package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;

/** {@code torch.optim.AdamW}: Adam with decoupled weight decay (default 0.01) applied to the parameters directly. */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01, false);
    }

    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(single(params), lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }

    private AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                  boolean decoupled) {
        super(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled);
    }

    /** Per-group options override these defaults: "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad" (1 or 0). */
    public static AdamW forGroups(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
                                  boolean amsgrad) {
        return new AdamW(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
