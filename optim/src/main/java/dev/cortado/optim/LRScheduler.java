package dev.cortado.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the learning-rate schedulers: remembers each group's initial lr, counts {@link #step()}
 * calls (epochs, or iterations when stepped per batch) and sets every group's lr to the
 * schedule's value for the new count. Call it after {@code optimizer.step()}, as in PyTorch.
 * <p>
 * As PyTorch's, most schedules step from the lr a group has now rather than recomputing it from
 * the initial one ({@link #chainedLr}): StepLR multiplies the current lr by gamma. So two
 * schedulers stepped on one optimizer (or a {@link ChainedScheduler}) compose, and an lr set by
 * hand carries on into the schedule, with PyTorch's numbers. LambdaLR, CyclicLR, OneCycleLR and
 * CosineAnnealingWarmRestarts set the lr outright, as in PyTorch.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch;
    /** The groups' lrs right after this scheduler's last step: PyTorch's {@code _last_lr}. */
    private List<Double> lastLr;

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
        noteLrs();
    }

    /** Notes the groups' lrs as the ones this scheduler last set. */
    private void noteLrs() {
        List<Double> now = new ArrayList<>();
        optimizer.paramGroups().forEach(g -> now.add(g.lr()));
        lastLr = List.copyOf(now);
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

    /**
     * PyTorch's {@code get_lr()}: the lr at {@code epoch} from the lr the group has now, which the
     * previous step, another scheduler or the user set. By default the closed form
     * {@link #lrAt}, for the schedules that set the lr outright.
     */
    protected double chainedLr(double lr, double baseLr, int epoch) {
        return lrAt(baseLr, epoch);
    }

    /**
     * The lr when a {@link SequentialLR} switches to this schedule at one of its milestones
     * (PyTorch's {@code step(0)}): the closed form at step 0.
     */
    protected double restartLr(double lr, double baseLr) {
        return lrAt(baseLr, 0);
    }

    /** Advances one step and applies the new learning rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /**
     * Sets every group's lr for the current step from its lr now; a schedule whose step 0 changes
     * the lr calls it at the end of its constructor, as PyTorch takes step 0 when a scheduler is made.
     */
    protected final void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(chainedLr(groups.get(i).lr(), baseLrs.get(i), lastEpoch));
        }
        afterApply(lastEpoch);
        noteLrs();
    }

    /** Sets every group's lr to the closed form at the current step. */
    private void applyClosedForm() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrAt(baseLrs.get(i), lastEpoch));
        }
        afterApply(lastEpoch);
        noteLrs();
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

    /**
     * {@code get_last_lr()}: the groups' lrs right after this scheduler's last step, one per group,
     * as PyTorch's: a scheduler stepped before another on the same optimizer reports its own, and an
     * lr set by hand since does not show here.
     */
    public List<Double> getLastLr() {
        return lastLr;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** {@code last_epoch}, {@code base_lrs} and the lrs it last set ({@code last_lr}), for resuming. */
    public Map<String, String> stateDict() {
        return Map.of("last_epoch", Integer.toString(lastEpoch), "base_lrs", joined(baseLrs), "last_lr", joined(getLastLr()));
    }

    private static String joined(List<Double> values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.isEmpty() ? "" : ",").append(v);
        }
        return b.toString();
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
     * last_epoch, base_lrs and the lrs it last set. The schedule's own hyper-parameters
     * (milestones, gamma, T_max, ...) are this scheduler's, so build it as the saved one was.
     */
    public void loadTorchStateDict(Map<?, ?> state) {
        String where = getClass().getSimpleName() + ".loadTorchStateDict: ";
        if (!(state.get("last_epoch") instanceof Number epoch) || !(state.get("base_lrs") instanceof List<?> lrs)) {
            throw new IllegalArgumentException(where + "expected a number last_epoch and a list of numbers base_lrs, got keys " + state.keySet());
        }
        Map<String, String> flat = new java.util.HashMap<>();
        flat.put("last_epoch", Long.toString(epoch.longValue()));
        flat.put("base_lrs", numbers(where + "base_lrs", lrs));
        if (state.get("_last_lr") instanceof List<?> last) {
            flat.put("last_lr", numbers(where + "_last_lr", last));
        }
        loadStateDict(flat);
    }

    private static String numbers(String what, List<?> values) {
        List<Double> out = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(what + " should hold numbers, got " + values);
            }
            out.add(n.doubleValue());
        }
        return joined(out);
    }

    /**
     * Restores {@link #stateDict()}: the step count and base lrs, and sets each group's lr to the
     * one this scheduler last set. (PyTorch leaves the lr to the optimizer's state dict; both give
     * the same lr when the optimizer's state is loaded too, before or after. A state without
     * {@code last_lr} gets the schedule's closed form.)
     */
    public void loadStateDict(Map<String, String> state) {
        String where = getClass().getSimpleName() + ".loadStateDict: ";
        double[] lrs = parse(where, state.getOrDefault("base_lrs", ""));
        if (!state.containsKey("last_epoch")) {
            throw new IllegalArgumentException(where + "expected last_epoch and " + baseLrs.size() + " base_lrs, got " + state);
        }
        double[] last = state.containsKey("last_lr") ? parse(where, state.get("last_lr")) : null;
        int epoch;
        try {
            epoch = Integer.parseInt(state.get("last_epoch"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "last_epoch must be a whole number, got \"" + state.get("last_epoch") + "\"", e);
        }
        for (int i = 0; i < lrs.length; i++) {
            baseLrs.set(i, lrs[i]);
        }
        lastEpoch = epoch;
        if (last == null) {
            applyClosedForm();
            return;
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(last[i]);
        }
        afterApply(lastEpoch);
        noteLrs();
    }

    /** One number per param group, comma-separated. */
    private double[] parse(String where, String values) {
        String[] parts = values.split(",");
        if (parts.length != baseLrs.size()) {
            throw new IllegalArgumentException(where + "expected " + baseLrs.size() + " learning rates (one per param group), got \""
                    + values + "\"");
        }
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "learning rates must be numbers, got \"" + values + "\"", e);
            }
        }
        return out;
    }
}
