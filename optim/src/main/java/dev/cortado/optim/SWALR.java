package dev.cortado.optim;

/**
 * {@code torch.optim.swa_utils.SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos")}:
 * for stochastic weight averaging, anneals each group's lr from where it stands when this
 * scheduler first steps (typically where another schedule left it) to swaLr over annealEpochs
 * steps, cosine or linear, then holds it. With annealEpochs 0 the lr is swaLr at once.
 */
public final class SWALR extends LRScheduler {
    private final double swaLr;
    private final int annealEpochs;
    private final OneCycleLR.Anneal anneal;

    public SWALR(Optimizer optimizer, double swaLr) {
        this(optimizer, swaLr, 10, OneCycleLR.Anneal.COS);
    }

    public SWALR(Optimizer optimizer, double swaLr, int annealEpochs, OneCycleLR.Anneal anneal) {
        super(optimizer);
        if (annealEpochs < 0) {
            throw new IllegalArgumentException("SWALR: anneal_epochs must be equal or greater than 0, got " + annealEpochs);
        }
        if (!(swaLr >= 0)) {
            throw new IllegalArgumentException("SWALR: swa_lr must be non-negative, got " + swaLr);
        }
        this.swaLr = swaLr;
        this.annealEpochs = annealEpochs;
        this.anneal = anneal;
        optimizer.paramGroups().forEach(g -> g.set("swa_lr", swaLr));
        rebaseOnCurrentLrs();
        apply();
    }

    /** The first step anneals from the lr as it stands then, which another schedule may have moved since this one was made. */
    @Override
    public void step() {
        if (lastEpoch() == 0) {
            rebaseOnCurrentLrs();
        }
        super.step();
    }

    @Override
    protected double lrAt(double startLr, int epoch) {
        double alpha = alpha(annealStep(epoch));
        return swaLr * alpha + startLr * (1 - alpha);
    }

    /**
     * PyTorch's step: the lr the anneal started from, solved from the current lr and the last
     * step's weight, then this step's mix of it and swa_lr; so an lr that another schedule moved
     * in between carries on into the anneal.
     */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        int step = annealStep(epoch);
        double previous = alpha(step - 1);
        double start = previous == 1 ? swaLr : (lr - previous * swaLr) / (1 - previous);
        double alpha = alpha(step);
        return swaLr * alpha + start * (1 - alpha);
    }

    private int annealStep(int epoch) {
        return annealEpochs == 0 ? Math.max(1, epoch) : epoch;
    }

    /** The weight of swa_lr after {@code step} steps: 0 at the start, 1 once annealed. */
    private double alpha(int step) {
        double t = Math.max(0, Math.min(1, step / (double) Math.max(1, annealEpochs)));
        return anneal == OneCycleLR.Anneal.COS ? (1 - Math.cos(Math.PI * t)) / 2 : t;
    }
}
