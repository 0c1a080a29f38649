package dev.cortado.optim;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.NAdam(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
 * momentum_decay=4e-3)}: Adam with Nesterov momentum, whose momentum coefficient
 * {@code mu_t = beta1 (1 - 0.5 · 0.96^(t · momentum_decay))} warms up over the steps. The product of
 * the mu's is kept in float32, as PyTorch keeps it in a tensor. PyTorch 2's formula: 1.13 multiplied
 * that product by mu_t twice for the next step's term.
 */
public final class NAdam extends Optimizer {
    public NAdam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, 4e-3);
    }

    public NAdam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        super(single(params), Map.of("lr", lr, "beta1", beta1, "beta2", beta2, "eps", eps, "weight_decay", weightDecay, "momentum_decay",
                momentumDecay));
        Adam.checkBetas(this);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double lr = group.lr();
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double wd = group.get("weight_decay");
        double decay = group.get("momentum_decay");
        if (s.isEmpty()) {
            s.put("mu_product", Tensor.scalar(1).to(Device.CPU));
            s.put("exp_avg", p.zerosLike());
            s.put("exp_avg_sq", p.zerosLike());
        }
        double step = advanceStep(s);
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        double mu = b1 * (1 - 0.5 * Math.pow(0.96, step * decay));
        double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (step + 1) * decay));
        Tensor productT = s.get("mu_product");
        float product = (float) (productT.item() * mu);
        productT.fill_(product);
        float productNext = (float) (product * muNext);
        Tensor m = s.get("exp_avg").mul_(b1).add_(g, 1 - b1);
        Tensor v = s.get("exp_avg_sq").mul_(b2).add_(g.square(), 1 - b2);
        Tensor denom = v.div(1 - Math.pow(b2, step)).sqrt().add(group.get("eps"));
        p.add_(g.div(denom), -lr * (1 - mu) / (1 - product));
        p.add_(m.div(denom), -lr * muNext / (1 - productNext));
    }
}
