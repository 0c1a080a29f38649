package dev.cortado.optim;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.OptimizerSteps;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam} and, with {@code decoupled}, {@code AdamW}: moment estimates
 * {@code m = β1·m + (1 − β1)·g}, {@code v = β2·v + (1 − β2)·g²}, bias corrections, optional
 * AMSGrad maximum, and {@code p −= lr/(1 − β1ᵗ) · m / (√v/√(1 − β2ᵗ) + eps)}. Adam adds
 * {@code wd·p} to the gradient; AdamW multiplies p by {@code 1 − lr·wd} first.
 */
public class Adam extends Optimizer {
    private final boolean decoupled;

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(single(params), lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** Per-group options override these defaults: "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad" (1 or 0). */
    public static Adam forGroups(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
                                 boolean amsgrad) {
        return new Adam(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
         boolean decoupled) {
        super(groups, Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay, "amsgrad",
                amsgrad ? 1.0 : 0.0));
        for (ParamGroup g : groups) {
            if (g.get("beta1") >= 1 || g.get("beta2") >= 1) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": betas must be in [0, 1), got (" + g.get("beta1") + ", "
                        + g.get("beta2") + ")");
            }
        }
        this.decoupled = decoupled;
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double lr = group.lr();
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double wd = group.get("weight_decay");
        boolean amsgrad = group.get("amsgrad") != 0;
        if (s.isEmpty()) {
            // On the host, as PyTorch keeps it: reading a step count on the GPU would wait for every queued kernel.
            s.put("step", Tensor.scalar(0).to(Device.CPU));
            s.put("exp_avg", p.zerosLike());
            s.put("exp_avg_sq", p.zerosLike());
            if (amsgrad) {
                s.put("max_exp_avg_sq", p.zerosLike());
            }
        }
        Tensor stepT = s.get("step");
        double step = stepT.item() + 1;
        stepT.fill_(step);
        if (OptimizerSteps.adam_(p, grad, s.get("exp_avg"), s.get("exp_avg_sq"), amsgrad ? s.get("max_exp_avg_sq") : null, lr, b1, b2,
                group.get("eps"), wd, decoupled, step)) {
            return;
        }
        Tensor g = grad;
        if (wd != 0) {
            if (decoupled) {
                p.mul_(1 - lr * wd);
            } else {
                g = g.add(p, wd);
            }
        }
        Tensor m = s.get("exp_avg").mul_(b1).add_(g, 1 - b1);
        Tensor v = s.get("exp_avg_sq").mul_(b2).add_(g.square(), 1 - b2);
        double bc1 = 1 - Math.pow(b1, step);
        double bc2 = 1 - Math.pow(b2, step);
        Tensor second = v;
        if (amsgrad) {
            Tensor max = s.get("max_exp_avg_sq");
            max.copy_(Tensor.where(max.gt(v), max, v));
            second = max;
        }
        Tensor denom = second.sqrt().div(Math.sqrt(bc2)).add(group.get("eps"));
        p.add_(m.div(denom), -lr / bc1);
    }
}
