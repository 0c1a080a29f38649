package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adagrad}: a running sum of squared gradients (from
 * {@code initial_accumulator_value}) and {@code p −= clr · g / (√sum + eps)}, with
 * {@code clr = lr / (1 + (t − 1)·lr_decay)}; weight decay adds {@code wd·p} to the gradient.
 */
public final class Adagrad extends Optimizer {
    public Adagrad(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10);
    }

    public Adagrad(List<Tensor> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        super(single(params), Map.of("lr", lr, "lr_decay", lrDecay, "weight_decay", weightDecay, "initial_accumulator_value",
                initialAccumulatorValue, "eps", eps));
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        if (s.isEmpty()) {
            s.put("sum", p.zerosLike().fill_(group.get("initial_accumulator_value")));
        }
        double step = advanceStep(s);
        double wd = group.get("weight_decay");
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        double clr = group.lr() / (1 + (step - 1) * group.get("lr_decay"));
        Tensor sum = s.get("sum").add_(g.mul(g));
        p.add_(g.mul(-clr).div(sum.sqrt().add(group.get("eps"))));
    }
}
