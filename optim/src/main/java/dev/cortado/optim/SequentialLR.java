package dev.cortado.optim;

import java.util.List;

/**
 * {@code SequentialLR(optimizer, schedulers, milestones)}: schedulers.get(0) until the first
 * milestone, then schedulers.get(1) from its own step 0, and so on (a warm-up followed by a decay).
 * The schedulers must drive the same optimizer; each starts from the groups' initial lr.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " (" + schedulers.get(i).getClass().getSimpleName()
                        + ") drives a different optimizer than the one given");
            }
            if (schedulers.get(i) instanceof OneCycleLR) {
                throw new IllegalArgumentException("SequentialLR: OneCycleLR already schedules the whole run; it cannot be one part of a sequence");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects " + (schedulers.size() - 1) + " milestones for " + schedulers.size()
                    + " schedulers, got " + milestones.length);
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException("SequentialLR: milestones must increase, got " + java.util.Arrays.toString(milestones));
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        // The parts took their own step 0 when made; the sequence starts again from the initial lrs with the first one's.
        optimizer.paramGroups().forEach(g -> g.setLr(g.get("initial_lr")));
        apply();
    }

    /**
     * The part in force steps from the current lr; at a milestone the next part starts again at its
     * step 0 (PyTorch's {@code step(0)}).
     */
    @Override
    protected double chainedLr(double lr, double baseLr, int epoch) {
        int part = partAt(epoch);
        int local = epoch - (part == 0 ? 0 : milestones[part - 1]);
        return part > 0 && local == 0 ? schedulers.get(part).restartLr(lr, baseLr) : schedulers.get(part).chainedLr(lr, baseLr, local);
    }

    private int partAt(int epoch) {
        int part = 0;
        while (part < milestones.length && epoch >= milestones[part]) {
            part++;
        }
        return part;
    }

    @Override
    protected double lrAt(double baseLr, int epoch) {
        int part = partAt(epoch);
        return schedulers.get(part).lrAt(baseLr, epoch - (part == 0 ? 0 : milestones[part - 1]));
    }
}
