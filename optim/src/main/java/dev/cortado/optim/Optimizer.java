package dev.cortado.optim;

import dev.cortado.autograd.GradMode;
import dev.cortado.io.SafeTensors;
import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Base of the optimizers: parameter groups with their own hyper-parameters, per-parameter state
 * (momentum buffers, moment estimates), {@link #zeroGrad()}, {@link #step()}, and state dicts
 * keyed like PyTorch's ({@code state.<index>.<name>}, indices counting parameters across groups).
 */
public abstract class Optimizer {
    /**
     * Every optimizer's own hyper-parameters. A loaded state may add other options (a
     * scheduler's {@code initial_lr}), but not one of these that this optimizer lacks.
     */
    private static final Set<String> HYPER_PARAMETERS = Set.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "beta1",
            "beta2", "eps", "amsgrad", "alpha", "centered", "rho", "lr_decay", "initial_accumulator_value", "momentum_decay",
            "etaminus", "etaplus", "step_size_min", "step_size_max", "lambd", "t0", "max_iter", "max_eval", "tolerance_grad",
            "tolerance_change", "history_size", "line_search_fn");

    private final List<ParamGroup> groups;
    private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();

    protected Optimizer(List<ParamGroup> groups, Map<String, Double> defaults) {
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.params().isEmpty())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer got an empty parameter list");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) {
            defaults.forEach(g.options()::putIfAbsent);
            for (Tensor p : g.params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter appears in more than one group");
                }
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": can only optimize leaf tensors, got one from "
                            + p.gradFn().name());
                }
            }
            for (var e : g.options().entrySet()) {
                if (e.getValue() < 0 || e.getValue().isNaN()) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid " + e.getKey() + " " + e.getValue()
                            + " (must be non-negative)");
                }
            }
        }
        this.groups = List.copyOf(groups);
    }

    /**
     * Advances a parameter's step count, kept in its state as a host scalar as PyTorch's
     * {@code state["step"]} (reading one on a GPU would wait for every queued kernel), and
     * returns the new count, 1 on the first step.
     */
    protected static double advanceStep(Map<String, Tensor> state) {
        Tensor step = state.computeIfAbsent("step", k -> Tensor.scalar(0).to(Device.CPU));
        double next = step.item() + 1;
        step.fill_(next);
        return next;
    }

    protected static List<ParamGroup> single(List<Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** Clears every parameter's gradient (PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                p.zeroGrad();
            }
        }
    }

    /** Updates every parameter that has a gradient, outside autograd. */
    public void step() {
        try (var g = GradMode.off()) {
            for (ParamGroup group : groups) {
                List<Tensor> withGrad = new ArrayList<>();
                for (Tensor p : group.params()) {
                    if (p.grad() != null) {
                        withGrad.add(p);
                    }
                }
                Set<Tensor> done = updateTogether(group, withGrad);
                for (Tensor p : withGrad) {
                    if (!done.contains(p)) {
                        Map<String, Tensor> s = state.computeIfAbsent(p, k -> new HashMap<>());
                        update(p, p.grad(), group, s);
                        // State made during a step (momentum buffers, Adam moments) outlives the step's MemoryScope.
                        s.values().forEach(MemoryScope::keep);
                    }
                }
            }
        }
    }

    /**
     * {@code optimizer.step(closure)}: calls the closure with gradients recorded (it clears the
     * gradients, computes the loss, calls backward and returns the loss), then steps; returns the
     * closure's loss. {@link LBFGS} calls it several times per step.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = GradMode.on()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates several parameters of a group in one go where the optimizer can (a GPU then runs one
     * kernel for them all); returns those it updated, by identity, and {@link #update} does the rest.
     * The default updates none together.
     */
    protected Set<Tensor> updateTogether(ParamGroup group, List<Tensor> params) {
        return Set.of();
    }

    /** {@code params} as the set that {@link #updateTogether} returns: by identity, as parameters are told apart. */
    protected static Set<Tensor> identitySet(List<Tensor> params) {
        Set<Tensor> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(params);
        return set;
    }

    /** The state of {@code param} so far, or null before its first update. */
    protected Map<String, Tensor> stateOf(Tensor param) {
        return state.get(param);
    }

    /** One parameter's update; {@code s} is its state, empty on its first step. */
    protected abstract void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Tensor> s);

    // ---- state dicts ----------------------------------------------------------------------

    /** Tensors {@code state.<i>.<name>} and hyper-parameters {@code param_groups.<g>.<option>} as metadata strings. */
    public SafeTensors.Contents stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            for (var e : g.options().entrySet()) {
                meta.put("param_groups." + gi + "." + e.getKey(), Double.toString(e.getValue()));
            }
            for (Tensor p : g.params()) {
                Map<String, Tensor> s = state.get(p);
                if (s != null) {
                    for (var e : new java.util.TreeMap<>(s).entrySet()) {
                        tensors.put("state." + index + "." + e.getKey(), e.getValue().detach());
                    }
                }
                index++;
            }
        }
        return new SafeTensors.Contents(tensors, meta);
    }

    /** Restores {@link #stateDict()} output into an optimizer over parameters of the same shapes, in the same order. */
    public void loadStateDict(SafeTensors.Contents dict) {
        Map<String, Double> options = readOptions(dict);
        List<Tensor> params = new ArrayList<>();
        groups.forEach(g -> params.addAll(g.params()));
        Map<Tensor, Map<String, Tensor>> loaded = new IdentityHashMap<>();
        for (var e : dict.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            int i;
            try {
                i = parts.length == 3 && parts[0].equals("state") ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException ex) {
                i = -1;
            }
            if (i < 0 || i >= params.size()) {
                throw new IllegalArgumentException("loadStateDict: unexpected key \"" + e.getKey() + "\" for an optimizer over "
                        + params.size() + " parameters");
            }
            Tensor p = params.get(i);
            Tensor v = e.getValue();
            boolean scalar = v.dim() == 0;
            if (!scalar && !java.util.Arrays.equals(v.shape(), p.shape())) {
                throw new IllegalArgumentException("loadStateDict: \"" + e.getKey() + "\" has shape "
                        + dev.cortado.tensor.Shapes.str(v.shape()) + " but parameter " + i + " has " + dev.cortado.tensor.Shapes.str(p.shape()));
            }
            // Per-element state goes to the parameter's device; scalars (Adam's step count) stay on the
            // host, as in PyTorch, so that reading them never waits for a GPU.
            Device home = scalar ? Device.CPU : p.device();
            loaded.computeIfAbsent(p, k -> new HashMap<>()).put(parts[2], MemoryScope.keep(v.to(home).clone()));
        }
        state.clear();
        state.putAll(loaded);
        applyOptions(options);
    }

    /**
     * The state dict's hyper-parameters ({@code param_groups.<g>.<option>}), checked against this
     * optimizer's groups and options: a state with an option that this optimizer lacks is another
     * optimizer's.
     */
    protected final Map<String, Double> readOptions(SafeTensors.Contents dict) {
        Map<String, Double> options = new HashMap<>();
        for (var e : dict.metadata().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("param_groups")) {
                continue;
            }
            int gi = Integer.parseInt(parts[1]);
            if (gi >= groups.size()) {
                throw new IllegalArgumentException("loadStateDict: the state has param group " + gi + ", this optimizer has "
                        + groups.size());
            }
            if (HYPER_PARAMETERS.contains(parts[2]) && !groups.get(gi).options().containsKey(parts[2])) {
                throw new IllegalArgumentException("loadStateDict: the state's param group " + gi + " has option " + parts[2] + ", which "
                        + getClass().getSimpleName() + " does not have (" + groups.get(gi).options().keySet()
                        + "): the state of another optimizer?");
            }
            options.put(e.getKey(), Double.parseDouble(e.getValue()));
        }
        return options;
    }

    /** Sets the options {@link #readOptions} returned. */
    protected final void applyOptions(Map<String, Double> options) {
        options.forEach((k, v) -> {
            String[] parts = k.split("\\.", 3);
            groups.get(Integer.parseInt(parts[1])).set(parts[2], v);
        });
    }

    /**
     * PyTorch's {@code optimizer.state_dict()}: {@code {"state": {index: {name: tensor}},
     * "param_groups": [{option: value, ..., "params": [indices]}]}}, with Adam's betas and Rprop's
     * etas and step sizes as pairs and flags as booleans, for {@link TorchSerialization#save}
     * (alone, or in a checkpoint dict beside the model's state dict).
     */
    public Map<String, Object> torchStateDict() {
        return TorchOptimizerState.toTorch(stateDict(), groups);
    }

    /**
     * Restores PyTorch's {@code optimizer.state_dict()} (as {@link TorchSerialization#load}
     * returns it) or {@link #torchStateDict()}: saved parameters map to this optimizer's by
     * position, group by group, as in PyTorch, and hyper-parameters are replaced by the saved ones.
     */
    public void loadTorchStateDict(Map<?, ?> dict) {
        loadStateDict(TorchOptimizerState.fromTorch(getClass().getSimpleName(), dict, groups));
    }

    /**
     * Saves the state atomically: as {@code torch.save(optimizer.state_dict())} when the file name
     * ends in {@code .pt} or {@code .pth}, as a safetensors file of {@link #stateDict()} otherwise.
     */
    public void save(Path path) throws IOException {
        if (TorchSerialization.isTorchName(path)) {
            TorchSerialization.save(torchStateDict(), path);
            return;
        }
        SafeTensors.Contents c = stateDict();
        SafeTensors.write(path, c.tensors(), c.metadata());
    }

    /** Loads a state saved by {@link #save}, or by PyTorch's {@code torch.save(optimizer.state_dict(), path)}. */
    public void load(Path path) throws IOException {
        if (!TorchSerialization.isTorchFile(path)) {
            loadStateDict(SafeTensors.read(path));
        } else if (TorchSerialization.load(path, Device.CPU) instanceof Map<?, ?> dict) {
            loadTorchStateDict(dict);
        } else {
            throw new IOException(getClass().getSimpleName() + ".load: " + path + " does not hold an optimizer state dict");
        }
    }
}
