package dev.cortado.optim;

import java.util.function.DoubleUnaryOperator;

/**
 * {@code CyclicLR(optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
 * mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle", cycle_momentum=True,
 * base_momentum=0.8, max_momentum=0.9)}, stepped once per batch: the lr climbs from baseLr to
 * maxLr over stepSizeUp steps and back over stepSizeDown, the height of each cycle scaled by the
 * mode (triangular: 1; triangular2: halved each cycle; exp_range: gamma^step), while the momentum
 * (SGD's, or Adam's beta1 as in PyTorch 2) moves the opposite way between maxMomentum and
 * baseMomentum. It sets both when made, as PyTorch does.
 */
public final class CyclicLR extends LRScheduler {
    /** PyTorch's three built-in scale policies. */
    public enum Mode { TRIANGULAR, TRIANGULAR2, EXP_RANGE }

    private final double baseLr;
    private final double maxLr;
    private final double totalSize;
    private final double stepRatio;
    private final DoubleUnaryOperator scaleFn;
    private final boolean scaleByCycle;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;

    /** Triangular cycles of 2 stepSizeUp steps, with PyTorch's momentum defaults (0.8 to 0.9). */
    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr, int stepSizeUp) {
        this(optimizer, baseLr, maxLr, stepSizeUp, stepSizeUp, Mode.TRIANGULAR, 1.0, true, 0.8, 0.9);
    }

    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr, int stepSizeUp, int stepSizeDown, Mode mode, double gamma,
                    boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        this(optimizer, baseLr, maxLr, stepSizeUp, stepSizeDown, scale(mode, gamma), mode != Mode.EXP_RANGE, cycleMomentum, baseMomentum,
                maxMomentum);
    }

    /**
     * With a custom {@code scale_fn}: it receives the cycle number (from 1) when scaleByCycle
     * ({@code scale_mode="cycle"}), the step count otherwise ({@code "iterations"}).
     */
    public CyclicLR(Optimizer optimizer, double baseLr, double maxLr, int stepSizeUp, int stepSizeDown, DoubleUnaryOperator scaleFn,
                    boolean scaleByCycle, boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        super(startAt(optimizer, baseLr, stepSizeUp, stepSizeDown));
        this.baseLr = baseLr;
        this.maxLr = maxLr;
        this.totalSize = (double) stepSizeUp + stepSizeDown;
        this.stepRatio = stepSizeUp / totalSize;
        this.scaleFn = scaleFn;
        this.scaleByCycle = scaleByCycle;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        if (cycleMomentum) {
            requireMomentum("CyclicLR");
        }
        apply();
    }

    private static DoubleUnaryOperator scale(Mode mode, double gamma) {
        return switch (mode) {
            case TRIANGULAR -> x -> 1.0;
            case TRIANGULAR2 -> x -> 1 / Math.pow(2.0, x - 1);
            case EXP_RANGE -> x -> Math.pow(gamma, x);
        };
    }

    /** PyTorch sets every group's lr to base_lr before its first step. */
    private static Optimizer startAt(Optimizer optimizer, double baseLr, int stepSizeUp, int stepSizeDown) {
        if (stepSizeUp <= 0 || stepSizeDown <= 0) {
            throw new IllegalArgumentException("CyclicLR: step_size_up and step_size_down must be positive, got " + stepSizeUp + " and "
                    + stepSizeDown);
        }
        optimizer.paramGroups().forEach(g -> g.setLr(baseLr));
        return optimizer;
    }

    @Override
    protected double lrAt(double initialLr, int epoch) {
        double[] at = at(epoch);
        return baseLr + (maxLr - baseLr) * at[0] * at[1];
    }

    @Override
    protected void afterApply(int epoch) {
        if (cycleMomentum) {
            double[] at = at(epoch);
            setMomentum(maxMomentum - (maxMomentum - baseMomentum) * at[0] * at[1]);
        }
    }

    /** The fraction of the cycle's height at this step, and the scale of that height. */
    private double[] at(int epoch) {
        double cycle = Math.floor(1 + epoch / totalSize);
        double x = 1.0 + epoch / totalSize - cycle;
        double fraction = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        return new double[] {fraction, scaleFn.applyAsDouble(scaleByCycle ? cycle : epoch)};
    }
}
