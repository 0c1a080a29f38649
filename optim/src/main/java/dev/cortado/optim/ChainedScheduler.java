package dev.cortado.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ChainedScheduler(schedulers)}: each {@link #step()} steps every scheduler in order, so
 * their effects compose (a warm-up times a decay) as when they are stepped one after the other.
 * The schedulers must drive one optimizer.
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        super(first(schedulers).optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("ChainedScheduler: scheduler " + i + " (" + schedulers.get(i).getClass().getSimpleName()
                        + ") drives a different optimizer than scheduler 0");
            }
        }
        this.schedulers = List.copyOf(schedulers);
    }

    private static LRScheduler first(List<LRScheduler> schedulers) {
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("ChainedScheduler: expects at least one scheduler");
        }
        return schedulers.getFirst();
    }

    @Override
    public void step() {
        schedulers.forEach(LRScheduler::step);
    }

    /** The lrs after the last scheduler's step, that is after the whole chain's, as PyTorch's. */
    @Override
    public List<Double> getLastLr() {
        return schedulers.getLast().getLastLr();
    }

    /** The schedulers' own closed forms do not compose; the chain exists only step by step. */
    @Override
    protected double lrAt(double baseLr, int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler has no closed form; it steps its schedulers");
    }

    /** The last scheduler's step count (they all step together). */
    @Override
    public int lastEpoch() {
        return schedulers.getLast().lastEpoch();
    }

    /** Each scheduler's state under its position: {@code 0.last_epoch}, {@code 1.base_lrs}, ... */
    @Override
    public Map<String, String> stateDict() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < schedulers.size(); i++) {
            int at = i;
            schedulers.get(i).stateDict().forEach((k, v) -> out.put(at + "." + k, v));
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        List<Map<String, String>> parts = new ArrayList<>();
        schedulers.forEach(s -> parts.add(new LinkedHashMap<>()));
        for (var e : state.entrySet()) {
            String[] key = e.getKey().split("\\.", 2);
            int i = key.length == 2 && key[0].matches("\\d{1,9}") ? Integer.parseInt(key[0]) : -1;
            if (i < 0 || i >= parts.size()) {
                throw new IllegalArgumentException("ChainedScheduler.loadStateDict: unexpected key \"" + e.getKey() + "\" for a chain of "
                        + parts.size() + " schedulers");
            }
            parts.get(i).put(key[1], e.getValue());
        }
        for (int i = 0; i < parts.size(); i++) {
            schedulers.get(i).loadStateDict(parts.get(i));
        }
    }

    /** PyTorch's form: {@code _last_lr} and a {@code _schedulers} list of the schedulers' state dicts. */
    @Override
    public Map<String, Object> torchStateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("_last_lr", getLastLr());
        List<Object> parts = new ArrayList<>();
        schedulers.forEach(s -> parts.add(s.torchStateDict()));
        out.put("_schedulers", parts);
        return out;
    }

    @Override
    public void loadTorchStateDict(Map<?, ?> state) {
        if (!(state.get("_schedulers") instanceof List<?> parts) || parts.size() != schedulers.size()
                || !parts.stream().allMatch(p -> p instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("ChainedScheduler.loadTorchStateDict: expected a \"_schedulers\" list of " + schedulers.size()
                    + " state dicts, got keys " + state.keySet());
        }
        for (int i = 0; i < parts.size(); i++) {
            schedulers.get(i).loadTorchStateDict((Map<?, ?>) parts.get(i));
        }
    }
}
