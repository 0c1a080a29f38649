package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adadelta(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)}: steps scaled by the
 * ratio of two running RMS values, {@code v = ρ v + (1 − ρ) g²},
 * {@code Δ = √(a + eps) / √(v + eps) · g}, {@code a = ρ a + (1 − ρ) Δ²}, {@code p −= lr · Δ}:
 * the optimizer of PyTorch's MNIST example.
 */
public final class Adadelta extends Optimizer {
    public Adadelta(List<Tensor> params) {
        this(params, 1.0, 0.9, 1e-6, 0);
    }

    public Adadelta(List<Tensor> params, double lr, double rho, double eps, double weightDecay) {
        super(single(params), Map.of("lr", lr, "rho", rho, "eps", eps, "weight_decay", weightDecay));
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("Adadelta: rho must be in [0, 1], got " + rho);
        }
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double rho = group.get("rho");
        double eps = group.get("eps");
        double wd = group.get("weight_decay");
        if (s.isEmpty()) {
            s.put("square_avg", p.zerosLike());
            s.put("acc_delta", p.zerosLike());
        }
        advanceStep(s);
        Tensor g = wd != 0 ? grad.add(p, wd) : grad;
        // PyTorch's addcmul_ multiplies the scalar into the first operand first; so does this, for its bits.
        Tensor squareAvg = s.get("square_avg").mul_(rho).add_(g.mul(1 - rho).mul(g));
        Tensor accDelta = s.get("acc_delta");
        Tensor delta = accDelta.add(eps).sqrt().div(squareAvg.add(eps).sqrt()).mul(g);
        accDelta.mul_(rho).add_(delta.mul(1 - rho).mul(delta));
        p.add_(delta, -group.lr());
    }
}
