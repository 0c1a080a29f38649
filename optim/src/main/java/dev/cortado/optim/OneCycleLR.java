package dev.cortado.optim;

import java.util.List;

/**
 * {@code OneCycleLR(optimizer, max_lr, total_steps, pct_start=0.3, anneal_strategy="cos",
 * cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25, final_div_factor=1e4,
 * three_phase=False)}, stepped once per batch: the lr rises from maxLr / divFactor to maxLr over
 * the first pctStart of the steps and falls to maxLr / divFactor / finalDivFactor over the rest
 * (with threePhase, back to the start first), while the momentum (SGD's, or Adam's beta1) moves
 * the opposite way between maxMomentum and baseMomentum. It sets both when made, as PyTorch does.
 */
public final class OneCycleLR extends LRScheduler {
    /** How the lr moves within a phase. */
    public enum Anneal { COS, LINEAR }

    private record Phase(double endStep, double startLr, double endLr, double startMomentum, double endMomentum) {
    }

    private final int totalSteps;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final double maxLr;
    private final List<Phase> phases;

    /** PyTorch's defaults: pct_start 0.3, cosine, momentum cycled between 0.85 and 0.95, div_factor 25, final_div_factor 1e4. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, Anneal.COS, true, 0.85, 0.95, 25, 1e4, false);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, Anneal anneal, boolean cycleMomentum,
                      double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        super(setInitialLr(optimizer, maxLr / divFactor));
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("OneCycleLR: expected a positive integer total_steps, got " + totalSteps);
        }
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: expected a float between 0 and 1 for pct_start, got " + pctStart);
        }
        this.totalSteps = totalSteps;
        this.anneal = anneal;
        this.cycleMomentum = cycleMomentum;
        this.maxLr = maxLr;
        double initialLr = maxLr / divFactor;
        double minLr = initialLr / finalDivFactor;
        double up = pctStart * totalSteps - 1;
        phases = threePhase
                ? List.of(new Phase(up, initialLr, maxLr, maxMomentum, baseMomentum),
                        new Phase(2 * pctStart * totalSteps - 2, maxLr, initialLr, baseMomentum, maxMomentum),
                        new Phase(totalSteps - 1, initialLr, minLr, maxMomentum, maxMomentum))
                : List.of(new Phase(up, initialLr, maxLr, maxMomentum, baseMomentum),
                        new Phase(totalSteps - 1, maxLr, minLr, baseMomentum, maxMomentum));
        if (cycleMomentum) {
            requireMomentum("OneCycleLR");
        }
        apply();
    }

    /** PyTorch's initial_lr is max_lr / div_factor, whatever lr the optimizer was made with. */
    private static Optimizer setInitialLr(Optimizer optimizer, double initialLr) {
        optimizer.paramGroups().forEach(g -> g.set("initial_lr", initialLr));
        return optimizer;
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch() + 2) + " times; the specified number of total steps is "
                    + totalSteps + " (the constructor counts as the first)");
        }
        super.step();
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        return at(epoch)[0];
    }

    @Override
    protected void afterApply(int epoch) {
        if (cycleMomentum) {
            setMomentum(at(epoch)[1]);
        }
    }

    /** The lr and momentum at a step: the phase it falls in, annealed by its fraction of that phase (beyond 1 in the last). */
    private double[] at(int step) {
        double start = 0;
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            if (step <= p.endStep() || i == phases.size() - 1) {
                double pct = (step - start) / (p.endStep() - start);
                return new double[] {anneal(p.startLr(), p.endLr(), pct), anneal(p.startMomentum(), p.endMomentum(), pct)};
            }
            start = p.endStep();
        }
        throw new AssertionError("unreachable: the last phase takes every step");
    }

    private double anneal(double start, double end, double pct) {
        return anneal == Anneal.COS ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    public double maxLr() {
        return maxLr;
    }
}
