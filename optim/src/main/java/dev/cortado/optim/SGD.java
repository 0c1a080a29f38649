package dev.cortado.optim;

import dev.cortado.tensor.OptimizerSteps;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code torch.optim.SGD}: with weight decay {@code g += wd·p}; with momentum
 * {@code b = μ·b + (1 − dampening)·g} (b = g on the first step), then {@code g = g + μ·b}
 * (Nesterov) or {@code g = b}; finally {@code p −= lr·g}.
 * <pre>{@code var opt = new SGD(model.parameters(), 0.1, 0.9, 0, 1e-4, false);}</pre>
 * Parameter groups: {@code SGD.forGroups(List.of(ParamGroup.of(head).set("lr", 0.01), ParamGroup.of(body)), 0.1, 0, 0, 0, false)}.
 */
public final class SGD extends Optimizer {
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(single(params), defaults(lr, momentum, dampening, weightDecay, nesterov));
    }

    /** Per-group options override these defaults: "lr", "momentum", "dampening", "weight_decay", "nesterov" (1 or 0). */
    public static SGD forGroups(List<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay,
                                boolean nesterov) {
        return new SGD(groups, defaults(lr, momentum, dampening, weightDecay, nesterov));
    }

    private static Map<String, Double> defaults(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        return Map.of("lr", lr, "momentum", momentum, "dampening", dampening, "weight_decay", weightDecay, "nesterov",
                nesterov ? 1.0 : 0.0);
    }

    private SGD(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, defaults);
        for (ParamGroup g : groups) {
            if (g.get("nesterov") != 0 && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum "
                        + g.get("momentum") + ", dampening " + g.get("dampening"));
            }
        }
    }

    /**
     * Every parameter that already has a momentum buffer, in one fused step
     * ({@link OptimizerSteps#sgdMomentumAll_}, one launch per few dozen parameters on a GPU) where
     * the backend has it; the same bits as one by one.
     */
    @Override
    protected Set<Tensor> updateTogether(ParamGroup group, List<Tensor> params) {
        double momentum = group.get("momentum");
        if (momentum == 0 || params.size() < 2) {
            return Set.of();
        }
        List<Tensor> ps = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        List<Tensor> bufs = new ArrayList<>();
        for (Tensor p : params) {
            Map<String, Tensor> s = stateOf(p);
            Tensor buf = s == null ? null : s.get("momentum_buffer");
            if (buf != null) {
                ps.add(p);
                grads.add(p.grad());
                bufs.add(buf);
            }
        }
        if (ps.size() < 2 || !OptimizerSteps.sgdMomentumAll_(ps, grads, bufs, group.lr(), momentum, group.get("dampening"),
                group.get("weight_decay"), group.get("nesterov") != 0)) {
            return Set.of();
        }
        return identitySet(ps);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double wd = group.get("weight_decay");
        double momentum = group.get("momentum");
        Tensor existing = s.get("momentum_buffer");
        if (momentum != 0 && existing != null && OptimizerSteps.sgdMomentum_(p, grad, existing, group.lr(), momentum,
                group.get("dampening"), wd, group.get("nesterov") != 0)) {
            return;
        }
        Tensor d = wd != 0 ? grad.add(p, wd) : grad;
        if (momentum != 0) {
            Tensor buf = existing;
            if (buf == null) {
                buf = d.clone();
                s.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - group.get("dampening"));
            }
            d = group.get("nesterov") != 0 ? d.add(buf, momentum) : buf;
        }
        p.add_(d, -group.lr());
    }
}
