package dev.cortado.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the learning-rate schedulers: remembers each group's initial lr, counts {@link #step()}
 * calls (epochs, or iterations when stepped per batch) and sets every group's lr to the
 * schedule's value for the new count. Call it after {@code optimizer.step()}, as in PyTorch.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        for (ParamGroup g : optimizer.paramGroups()) {
            // As PyTorch's "initial_lr": the first scheduler notes each group's lr, and later ones
            // (the parts of a SequentialLR) start from it rather than from what an earlier one set.
            if (!g.options().containsKey("initial_lr")) {
                g.set("initial_lr", g.lr());
            }
            baseLrs.add(g.get("initial_lr"));
        }
    }

    /**
     * Makes each group's current lr its base lr: for a schedule that starts from wherever an earlier
     * schedule left the lr (SWALR) rather than from the initial one.
     */
    protected final void rebaseOnCurrentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            baseLrs.set(i, groups.get(i).lr());
        }
    }

    /** The schedule: the lr of a group whose initial lr is {@code baseLr}, after {@code epoch} steps. */
    protected abstract double lrAt(double baseLr, int epoch);

    /** Advances one step and applies the new learning rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /**
     * Sets every group's lr for the current step; a schedule whose step 0 is not the initial lr
     * calls it at the end of its constructor, as PyTorch applies step 0 when a scheduler is made.
     */
    protected final void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrAt(baseLrs.get(i), lastEpoch));
        }
        afterApply(lastEpoch);
    }

    /** Sets what else the schedule moves with the lr at this step (OneCycleLR's momentum); nothing by default. */
    protected void afterApply(int epoch) {
    }

    /**
     * For schedules that cycle the momentum with the lr (one-cycle, cyclic): every group must
     * have SGD's "momentum" or Adam's "beta1".
     */
    protected final void requireMomentum(String scheduler) {
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.options().containsKey("momentum") && !g.options().containsKey("beta1")) {
                throw new IllegalArgumentException(scheduler + ": optimizer must support momentum (a \"momentum\" or \"beta1\" option) with "
                        + "cycle_momentum enabled; pass cycleMomentum=false");
            }
        }
    }

    /** Sets every group's momentum (Adam's beta1 where it has one), as PyTorch's cycling schedules do. */
    protected final void setMomentum(double momentum) {
        for (ParamGroup g : optimizer.paramGroups()) {
            g.set(g.options().containsKey("beta1") ? "beta1" : "momentum", momentum);
        }
    }

    /** The learning rates set by the last step, one per group. */
    public List<Double> getLastLr() {
        List<Double> out = new ArrayList<>();
        optimizer.paramGroups().forEach(g -> out.add(g.lr()));
        return out;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** {@code last_epoch} and {@code base_lrs}, for resuming. */
    public Map<String, String> stateDict() {
        StringBuilder b = new StringBuilder();
        for (double lr : baseLrs) {
            b.append(b.isEmpty() ? "" : ",").append(lr);
        }
        return Map.of("last_epoch", Integer.toString(lastEpoch), "base_lrs", b.toString());
    }

    /**
     * PyTorch's {@code scheduler.state_dict()} entries that resuming needs ({@code last_epoch},
     * {@code base_lrs}, {@code _step_count}, {@code _last_lr}), as numbers, for
     * {@link dev.cortado.io.TorchSerialization#save}; PyTorch's {@code load_state_dict} keeps its
     * own hyper-parameters for the keys left out.
     */
    public Map<String, Object> torchStateDict() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("last_epoch", (long) lastEpoch);
        out.put("base_lrs", List.copyOf(baseLrs));
        out.put("_step_count", (long) lastEpoch + 1);
        out.put("_last_lr", getLastLr());
        return out;
    }

    /**
     * Resumes from PyTorch's {@code scheduler.state_dict()} (as {@link dev.cortado.io.TorchSerialization#load} returns it): its
     * last_epoch and base_lrs. The schedule's own hyper-parameters (milestones, gamma, T_max, ...)
     * are this scheduler's, so build it as the saved one was.
     */
    public void loadTorchStateDict(Map<?, ?> state) {
        if (!(state.get("last_epoch") instanceof Number epoch) || !(state.get("base_lrs") instanceof List<?> lrs)
                || !lrs.stream().allMatch(v -> v instanceof Number)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadTorchStateDict: expected a number last_epoch and a list"
                    + " of numbers base_lrs, got keys " + state.keySet());
        }
        StringBuilder b = new StringBuilder();
        for (Object lr : lrs) {
            b.append(b.isEmpty() ? "" : ",").append(((Number) lr).doubleValue());
        }
        loadStateDict(Map.of("last_epoch", Long.toString(epoch.longValue()), "base_lrs", b.toString()));
    }

    public void loadStateDict(Map<String, String> state) {
        String[] lrs = state.getOrDefault("base_lrs", "").split(",");
        if (lrs.length != baseLrs.size() || !state.containsKey("last_epoch")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: expected last_epoch and " + baseLrs.size()
                    + " base_lrs, got " + state);
        }
        for (int i = 0; i < lrs.length; i++) {
            baseLrs.set(i, Double.parseDouble(lrs[i]));
        }
        lastEpoch = Integer.parseInt(state.get("last_epoch"));
        apply();
    }
}
