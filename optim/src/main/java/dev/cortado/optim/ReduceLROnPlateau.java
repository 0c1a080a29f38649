package dev.cortado.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code ReduceLROnPlateau}: multiplies every group's lr by factor (not below minLr) once the
 * watched metric has not improved for more than patience steps, then waits cooldown steps before
 * counting again. Improvement is relative ({@code a < best·(1 − threshold)} when minimising) or
 * absolute ({@code a < best − threshold}). Stepped with the metric: {@code step(validationLoss)}.
 */
public final class ReduceLROnPlateau {
    private final Optimizer optimizer;
    private final boolean maximize;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final boolean relative;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int badEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** PyTorch's defaults: minimise, factor 0.1, patience 10, relative threshold 1e-4, no cooldown, min_lr 0. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, "min", 0.1, 10, 1e-4, "rel", 0, 0, 1e-8);
    }

    /** mode "min" or "max"; thresholdMode "rel" or "abs"; an lr change smaller than eps is not made. */
    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold, String thresholdMode,
                             int cooldown, double minLr, double eps) {
        if (!mode.equals("min") && !mode.equals("max")) {
            throw new IllegalArgumentException("ReduceLROnPlateau: mode must be \"min\" or \"max\", got \"" + mode + "\"");
        }
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold_mode must be \"rel\" or \"abs\", got \"" + thresholdMode + "\"");
        }
        if (!(factor < 1.0) || !(factor >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), got " + factor);
        }
        if (patience < 0 || cooldown < 0 || !(minLr >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience, cooldown and min_lr must be non-negative, got " + patience + ", "
                    + cooldown + ", " + minLr);
        }
        this.optimizer = optimizer;
        this.maximize = mode.equals("max");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = thresholdMode.equals("rel");
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** One epoch's metric: counts it as an improvement or not, and reduces the lr when the plateau has lasted long enough. */
    public void step(double metric) {
        lastEpoch++;
        if (better(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            for (ParamGroup g : optimizer.paramGroups()) {
                double reduced = Math.max(g.lr() * factor, minLr);
                if (g.lr() - reduced > eps) {
                    g.setLr(reduced);
                }
            }
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }

    private boolean better(double a) {
        if (maximize) {
            return relative ? a > best * (threshold + 1) : a > best + threshold;
        }
        return relative ? a < best * (1 - threshold) : a < best - threshold;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /** best, num_bad_epochs, cooldown_counter and last_epoch, for resuming. */
    public Map<String, String> stateDict() {
        Map<String, String> s = new HashMap<>();
        s.put("best", Double.toString(best));
        s.put("num_bad_epochs", Integer.toString(badEpochs));
        s.put("cooldown_counter", Integer.toString(cooldownCounter));
        s.put("last_epoch", Integer.toString(lastEpoch));
        return s;
    }

    /** PyTorch's {@code state_dict()} entries that resuming needs, as numbers, for {@link dev.cortado.io.TorchSerialization#save}. */
    public Map<String, Object> torchStateDict() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("best", best);
        out.put("num_bad_epochs", (long) badEpochs);
        out.put("cooldown_counter", (long) cooldownCounter);
        out.put("last_epoch", (long) lastEpoch);
        return out;
    }

    /**
     * Resumes from PyTorch's {@code scheduler.state_dict()}: best, num_bad_epochs, cooldown_counter
     * and last_epoch. Its hyper-parameters must be this scheduler's (PyTorch's load would take
     * them over; here they are final), so a state saved with others is refused by name.
     */
    public void loadTorchStateDict(Map<?, ?> state) {
        Map<String, Object> mine = Map.of("mode", maximize ? "max" : "min", "factor", factor, "patience", (long) patience, "threshold",
                threshold, "threshold_mode", relative ? "rel" : "abs", "cooldown", (long) cooldown, "eps", eps);
        for (var e : mine.entrySet()) {
            Object saved = state.get(e.getKey());
            boolean same = saved == null || (saved instanceof Number n && e.getValue() instanceof Number m
                    ? n.doubleValue() == m.doubleValue() : saved.equals(e.getValue()));
            if (!same) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadTorchStateDict: the state's " + e.getKey() + " is " + saved
                        + ", this scheduler's " + e.getValue() + "; build it with the saved hyper-parameters");
            }
        }
        Map<String, String> flat = new HashMap<>();
        for (String key : new String[] {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
            if (!(state.get(key) instanceof Number n)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadTorchStateDict: expected a number \"" + key + "\", got keys "
                        + state.keySet());
            }
            flat.put(key, n instanceof Double ? Double.toString(n.doubleValue()) : Long.toString(n.longValue()));
        }
        loadStateDict(flat);
    }

    public void loadStateDict(Map<String, String> state) {
        for (String key : new String[] {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
            if (!state.containsKey(key)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing \"" + key + "\" in " + state);
            }
        }
        best = Double.parseDouble(state.get("best"));
        badEpochs = Integer.parseInt(state.get("num_bad_epochs"));
        cooldownCounter = Integer.parseInt(state.get("cooldown_counter"));
        lastEpoch = Integer.parseInt(state.get("last_epoch"));
    }
}
