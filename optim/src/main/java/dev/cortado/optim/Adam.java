package dev.cortado.optim;

import dev.cortado.tensor.OptimizerSteps;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        checkBetas(this);
        this.decoupled = decoupled;
    }

    /** The Adam family's rule (the base class has checked they are not negative): each beta below 1. */
    static void checkBetas(Optimizer optimizer) {
        for (ParamGroup g : optimizer.paramGroups()) {
            if (g.get("beta1") >= 1 || g.get("beta2") >= 1) {
                throw new IllegalArgumentException(optimizer.getClass().getSimpleName() + ": betas must be in [0, 1), got (" + g.get("beta1")
                        + ", " + g.get("beta2") + ")");
            }
        }
    }

    /**
     * Every parameter whose state exists, in one fused step ({@link OptimizerSteps#adamAll_}, one
     * launch per few dozen parameters on a GPU) where the backend has it, each at its own step
     * count; the same bits as one by one. The step counts move only once the step has run.
     */
    @Override
    protected Set<Tensor> updateTogether(ParamGroup group, List<Tensor> params) {
        boolean amsgrad = group.get("amsgrad") != 0;
        List<Tensor> ps = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        List<Tensor> avgs = new ArrayList<>();
        List<Tensor> avgSqs = new ArrayList<>();
        List<Tensor> maxSqs = amsgrad ? new ArrayList<>() : null;
        List<Tensor> stepTensors = new ArrayList<>();
        for (Tensor p : params) {
            Map<String, Tensor> s = stateOf(p);
            if (s != null && !s.isEmpty()) {
                ps.add(p);
                grads.add(p.grad());
                avgs.add(s.get("exp_avg"));
                avgSqs.add(s.get("exp_avg_sq"));
                if (amsgrad) {
                    maxSqs.add(s.get("max_exp_avg_sq"));
                }
                stepTensors.add(s.get("step"));
            }
        }
        if (ps.size() < 2) {
            return Set.of();
        }
        double[] steps = new double[ps.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = stepTensors.get(i).item() + 1;
        }
        if (!OptimizerSteps.adamAll_(ps, grads, avgs, avgSqs, maxSqs, group.lr(), group.get("beta1"), group.get("beta2"), group.get("eps"),
                group.get("weight_decay"), decoupled, steps)) {
            return Set.of();
        }
        for (int i = 0; i < steps.length; i++) {
            stepTensors.get(i).fill_(steps[i]);
        }
        return identitySet(ps);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double lr = group.lr();
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double wd = group.get("weight_decay");
        boolean amsgrad = group.get("amsgrad") != 0;
        if (s.isEmpty()) {
            s.put("exp_avg", p.zerosLike());
            s.put("exp_avg_sq", p.zerosLike());
            if (amsgrad) {
                s.put("max_exp_avg_sq", p.zerosLike());
            }
        }
        double step = advanceStep(s);
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
