package dev.cortado.optim;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.ASGD(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0)}: averaged SGD.
 * Each step decays the parameter by {@code 1 - lambd·eta}, takes a plain gradient step of eta,
 * then updates the running average {@code ax} of the parameters (a copy until step t0, the mean
 * since t0 after it); eta then becomes {@code lr / (1 + lambd·lr·step)^alpha}. Training uses
 * the parameters; {@link #average} gives the averaged ones for evaluation.
 */
public final class ASGD extends Optimizer {
    public ASGD(List<Tensor> params, double lr) {
        this(params, lr, 1e-4, 0.75, 1e6, 0);
    }

    public ASGD(List<Tensor> params, double lr, double lambd, double alpha, double t0, double weightDecay) {
        super(single(params), Map.of("lr", lr, "lambd", lambd, "alpha", alpha, "t0", t0, "weight_decay", weightDecay));
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double lr = group.lr();
        double lambd = group.get("lambd");
        if (s.isEmpty()) {
            // eta and mu are float32 scalars in PyTorch's state, so their values are rounded to float.
            s.put("eta", hostScalar(lr));
            s.put("mu", hostScalar(1));
            s.put("ax", p.zerosLike());
        }
        double step = advanceStep(s);
        double wd = group.get("weight_decay");
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        double eta = s.get("eta").item();
        double mu = s.get("mu").item();
        p.mul_(1 - lambd * eta);
        p.add_(g, -eta);
        Tensor ax = s.get("ax");
        if (mu != 1) {
            ax.add_(p.sub(ax).mul(mu));
        } else {
            ax.copy_(p);
        }
        s.get("eta").fill_(lr / Math.pow(1 + lambd * lr * step, group.get("alpha")));
        s.get("mu").fill_(1 / Math.max(1, step - group.get("t0")));
    }

    private static Tensor hostScalar(double v) {
        return Tensor.full(new int[0], v, DType.FLOAT32, Device.CPU);
    }

    /** The averaged value of {@code param} ({@code state["ax"]}), or the parameter itself before its first step. */
    public Tensor average(Tensor param) {
        Map<String, Tensor> s = stateOf(param);
        if (s == null) {
            for (ParamGroup g : paramGroups()) {
                if (g.params().stream().anyMatch(p -> p == param)) {
                    return param.detach();
                }
            }
            throw new IllegalArgumentException("ASGD.average: the tensor is not one of this optimizer's parameters");
        }
        return s.get("ax");
    }
}
