package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Rprop(lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50))}: each element moves
 * by its own step size against the sign of its gradient; the step grows by etaplus while the sign
 * holds and shrinks by etaminus when it flips, within [min, max], and after a flip that element
 * skips one step (its gradient counts as 0).
 */
public final class Rprop extends Optimizer {
    public Rprop(List<Tensor> params, double lr) {
        this(params, lr, 0.5, 1.2, 1e-6, 50);
    }

    public Rprop(List<Tensor> params, double lr, double etaminus, double etaplus, double stepSizeMin, double stepSizeMax) {
        super(single(params), Map.of("lr", lr, "etaminus", etaminus, "etaplus", etaplus, "step_size_min", stepSizeMin, "step_size_max",
                stepSizeMax));
        if (!(etaminus > 0 && etaminus < 1 && etaplus > 1)) {
            throw new IllegalArgumentException("Rprop: etas must satisfy 0 < etaminus < 1 < etaplus, got (" + etaminus + ", " + etaplus + ")");
        }
        if (!(stepSizeMin <= stepSizeMax)) {
            throw new IllegalArgumentException("Rprop: step_sizes must satisfy min <= max, got (" + stepSizeMin + ", " + stepSizeMax + ")");
        }
    }

    @Override
    protected void update(Tensor p, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        double etaminus = group.get("etaminus");
        double etaplus = group.get("etaplus");
        if (s.isEmpty()) {
            s.put("prev", p.zerosLike());
            s.put("step_size", Tensor.full(p.shape(), group.lr(), p.dtype(), p.device()));
        }
        advanceStep(s);
        Tensor prev = s.get("prev");
        Tensor agreement = grad.mul(prev);
        Tensor flipped = agreement.lt(0);
        // etaplus where the sign held, etaminus where it flipped, 1 where either gradient is 0.
        Tensor factor = Tensor.where(agreement.gt(0), p.newFull(new int[0], etaplus),
                Tensor.where(flipped, p.newFull(new int[0], etaminus), p.newFull(new int[0], 1)));
        Tensor stepSize = s.get("step_size");
        stepSize.copy_(stepSize.mul(factor).clamp(group.get("step_size_min"), group.get("step_size_max")));
        Tensor g = grad.mul(flipped.rsub(1));
        p.add_(g.sign().mul(stepSize).neg());
        prev.copy_(g);
    }
}
