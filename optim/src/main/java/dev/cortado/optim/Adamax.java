package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adamax(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)}: Adam with
 * the infinity norm, {@code u = max(beta2 u, |g| + eps)} and {@code p -= lr / (1 - beta1^t) · m / u}.
 */
public final class Adamax extends Optimizer {
    public Adamax(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adamax(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(single(params), Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay));
        Adam.checkBetas(this);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double wd = group.get("weight_decay");
        if (s.isEmpty()) {
            s.put("exp_avg", p.zerosLike());
            s.put("exp_inf", p.zerosLike());
        }
        double step = advanceStep(s);
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        Tensor m = s.get("exp_avg").mul_(b1).add_(g, 1 - b1);
        Tensor u = s.get("exp_inf");
        u.copy_(u.mul(b2).maximum(g.abs().add(group.get("eps"))));
        p.add_(m.div(u), -group.lr() / (1 - Math.pow(b1, step)));
    }
}
