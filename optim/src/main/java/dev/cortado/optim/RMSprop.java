package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.RMSprop}: {@code v = α·v + (1 − α)·g²}, optionally centred by the running
 * mean of g, and {@code p −= lr · g / (√v + eps)}, or through a momentum buffer
 * {@code b = μ·b + g / (√v + eps)}; weight decay adds {@code wd·p} to the gradient.
 */
public final class RMSprop extends Optimizer {
    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RMSprop(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super(single(params), defaults(lr, alpha, eps, weightDecay, momentum, centered));
    }

    private RMSprop(List<ParamGroup> groups, Map<String, Double> defaults) {
        super(groups, defaults);
    }

    /** Per-group options override these defaults: "lr", "alpha", "eps", "weight_decay", "momentum", "centered" (1 or 0). */
    public static RMSprop forGroups(List<ParamGroup> groups, double lr, double alpha, double eps, double weightDecay, double momentum,
                                    boolean centered) {
        return new RMSprop(groups, defaults(lr, alpha, eps, weightDecay, momentum, centered));
    }

    private static Map<String, Double> defaults(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        return Map.of("lr", lr, "alpha", alpha, "eps", eps, "weight_decay", weightDecay, "momentum", momentum, "centered",
                centered ? 1.0 : 0.0);
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double alpha = group.get("alpha");
        double wd = group.get("weight_decay");
        double momentum = group.get("momentum");
        boolean centered = group.get("centered") != 0;
        if (s.isEmpty()) {
            s.put("square_avg", p.zerosLike());
            if (momentum > 0) {
                s.put("momentum_buffer", p.zerosLike());
            }
            if (centered) {
                s.put("grad_avg", p.zerosLike());
            }
        }
        advanceStep(s);
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        // PyTorch's addcmul_ and addcdiv_ multiply the scalar into the first operand first; so does this, for its bits.
        Tensor squareAvg = s.get("square_avg").mul_(alpha).add_(g.mul(1 - alpha).mul(g));
        Tensor avg;
        if (centered) {
            Tensor gradAvg = s.get("grad_avg").mul_(alpha).add_(g, 1 - alpha);
            avg = squareAvg.add(gradAvg.neg().mul(gradAvg)).sqrt().add(group.get("eps"));
        } else {
            avg = squareAvg.sqrt().add(group.get("eps"));
        }
        if (momentum > 0) {
            Tensor buf = s.get("momentum_buffer").mul_(momentum).add_(g.div(avg));
            p.add_(buf, -group.lr());
        } else {
            p.add_(g.mul(-group.lr()).div(avg));
        }
    }
}
