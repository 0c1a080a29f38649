package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.RAdam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)}: Adam whose
 * adaptive step is switched on, and scaled by a variance rectification, only once the length of
 * the approximated moving average rho_t exceeds 5; before that the step is plain momentum SGD.
 */
public final class RAdam extends Optimizer {
    public RAdam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public RAdam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(single(params), Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay));
        Adam.checkBetas(this);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double lr = group.lr();
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double wd = group.get("weight_decay");
        if (s.isEmpty()) {
            s.put("exp_avg", p.zerosLike());
            s.put("exp_avg_sq", p.zerosLike());
        }
        double step = advanceStep(s);
        double bc1 = 1 - Math.pow(b1, step);
        double bc2 = 1 - Math.pow(b2, step);
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        Tensor m = s.get("exp_avg").mul_(b1).add_(g, 1 - b1);
        Tensor v = s.get("exp_avg_sq").mul_(b2).add_(g.square(), 1 - b2);
        Tensor corrected = m.div(bc1);
        double rhoInf = 2 / (1 - b2) - 1;
        double rhoT = rhoInf - 2 * step * Math.pow(b2, step) / bc2;
        if (rhoT > 5) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            // A number over a tensor, as Python's scalar / tensor computes it: the reciprocal, then the product.
            Tensor adaptive = v.sqrt().add(group.get("eps")).pow(-1).mul(Math.sqrt(bc2));
            p.sub_(corrected.mul(lr).mul(adaptive).mul(rect));
        } else {
            p.sub_(corrected.mul(lr));
        }
    }
}
