package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.autograd.RemovableHandle;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Base of every layer and model, like {@code torch.nn.Module}: it owns named parameters,
 * buffers and submodules, registered explicitly and in order, which gives PyTorch's dotted
 * state-dict keys ({@code layers.0.bn1.running_mean}).
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Conv2d conv = register("conv", new Conv2d(1, 8, 3));
 *     final Linear fc = register("fc", new Linear(8 * 26 * 26, 10));
 *     public Tensor forward(Tensor x) { return fc.call(conv.call(x).relu().flatten(1, -1)); }
 * }
 * }</pre>
 *
 * <p>{@link #call} is PyTorch's {@code module(x)}: it runs the forward hooks around
 * {@code forward}. Calling {@code forward} directly skips them, in both libraries.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    /** Buffers left out of the state dict (PyTorch's {@code persistent=False}). */
    private final Set<String> nonPersistent = new java.util.HashSet<>();
    private boolean training = true;
    private List<Hook<ForwardPreHook>> forwardPreHooks = List.of();
    private List<Hook<ForwardHook>> forwardHooks = List.of();
    private List<Hook<FullBackwardHook>> backwardHooks = List.of();
    private Map<String, WeightReparametrization> reparametrizations;

    /** Computes the output; layers also report it to an active {@link Summary} through {@link #traced}. */
    public abstract Tensor forward(Tensor input);

    /**
     * Runs the module as PyTorch's {@code module(input)} does: the forward pre-hooks (each may
     * replace the input), {@link #forward}, then the forward hooks (each may replace the output),
     * every list in registration order. Without hooks it is {@code forward(input)}.
     */
    public final Tensor call(Tensor input) {
        if (forwardPreHooks.isEmpty() && forwardHooks.isEmpty() && backwardHooks.isEmpty()) {
            return forward(input);
        }
        // The lists are replaced, never changed, on (un)registering: a hook may remove itself or
        // register another while they are walked, and the change counts from the next call.
        for (Hook<ForwardPreHook> h : forwardPreHooks) {
            Tensor replaced = h.hook.apply(this, input);
            if (replaced != null) {
                input = replaced;
            }
        }
        List<Hook<FullBackwardHook>> backward = GradMode.isEnabled() ? backwardHooks : List.of();
        Tensor[] gradOutput = new Tensor[1];
        boolean inputTracked = !backward.isEmpty() && input.requiresGrad();
        Tensor seen = input;
        if (inputTracked) {
            // Identity steps around forward, as PyTorch's BackwardHook: the output's gradient is noted
            // on the way back, and the input's is handed to the hooks when it is known. They alias
            // their tensors, so an in-place update of one is recorded through the step (CopySlices).
            input = CustomFunction.record(input.detach(), "BackwardHookFunctionBackward",
                    (g, n) -> new Tensor[] {runBackwardHooks(backward, seen, g, gradOutput[0])}, input);
        }
        Tensor output = forward(input);
        for (Hook<ForwardHook> h : forwardHooks) {
            Tensor replaced = h.hook.apply(this, input, output);
            if (replaced != null) {
                output = replaced;
            }
        }
        if (!backward.isEmpty() && output.requiresGrad()) {
            output = CustomFunction.record(output.detach(), "BackwardHookFunctionBackward", (g, n) -> {
                gradOutput[0] = g;
                if (!inputTracked) {
                    runBackwardHooks(backward, seen, null, g);
                }
                return new Tensor[] {g};
            }, output);
        }
        return output;
    }

    private Tensor runBackwardHooks(List<Hook<FullBackwardHook>> hooks, Tensor input, Tensor gradInput, Tensor gradOutput) {
        for (Hook<FullBackwardHook> h : hooks) {
            Tensor replaced = h.hook.apply(this, gradInput, gradOutput);
            if (replaced != null) {
                if (gradInput == null) {
                    throw new IllegalStateException(getClass().getSimpleName() + ": a full backward hook returned a gradient for an input that "
                            + "does not require grad");
                }
                if (!java.util.Arrays.equals(replaced.shape(), input.shape())) {
                    throw new IllegalStateException(getClass().getSimpleName() + ": a full backward hook returned a gradient of shape "
                            + Shapes.str(replaced.shape()) + " for an input of shape " + Shapes.str(input.shape()));
                }
                gradInput = replaced;
            }
        }
        return gradInput;
    }

    // ---- hooks ----------------------------------------------------------------------------

    /** One registration, compared by identity: a hook registered twice runs twice, and each handle removes its own. */
    private static final class Hook<H> {
        final H hook;

        Hook(H hook) {
            this.hook = hook;
        }
    }

    /**
     * Registers a hook that {@link #call} runs after {@code forward}, as PyTorch's
     * {@code register_forward_hook}; the handle removes it.
     */
    public final RemovableHandle registerForwardHook(ForwardHook hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerForwardHook: hook is null");
        }
        Hook<ForwardHook> h = new Hook<>(hook);
        forwardHooks = append(forwardHooks, h);
        return new RemovableHandle(() -> forwardHooks = without(forwardHooks, h));
    }

    /**
     * Registers a hook that {@link #call} runs before {@code forward}, as PyTorch's
     * {@code register_forward_pre_hook}; the handle removes it.
     */
    public final RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerForwardPreHook: hook is null");
        }
        Hook<ForwardPreHook> h = new Hook<>(hook);
        forwardPreHooks = append(forwardPreHooks, h);
        return new RemovableHandle(() -> forwardPreHooks = without(forwardPreHooks, h));
    }

    /**
     * Registers a hook that backward runs with this module's input and output gradients, as
     * PyTorch's {@code register_full_backward_hook}, for calls through {@link #call} made with grad
     * mode on; the handle removes it.
     */
    public final RemovableHandle registerFullBackwardHook(FullBackwardHook hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerFullBackwardHook: hook is null");
        }
        Hook<FullBackwardHook> h = new Hook<>(hook);
        backwardHooks = append(backwardHooks, h);
        return new RemovableHandle(() -> backwardHooks = without(backwardHooks, h));
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static <T> List<T> without(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.remove(item);
        return out.isEmpty() ? List.of() : out;
    }

    // ---- registration ---------------------------------------------------------------------

    private void checkName(String kind, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(kind + " name must be non-empty and contain no '.', got \"" + name + "\"");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(kind + " \"" + name + "\" is already registered in " + getClass().getSimpleName());
        }
    }

    /** Registers a trainable parameter (made a leaf that requires grad) under {@code name}; returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName("parameter", name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("parameter \"" + name + "\" must be a leaf tensor; pass value.detach()");
        }
        value.requiresGrad_(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers state that is saved and moved with the module but not trained (running statistics). */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /**
     * As {@link #registerBuffer(String, Tensor)}; a buffer that is not {@code persistent} moves with
     * the module and is listed by {@link #buffers()}, but stays out of the state dict (a cached
     * mask or table the module can recompute), as PyTorch's {@code register_buffer(..., persistent=False)}.
     */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName("buffer", name);
        MemoryScope.keep(value);
        buffers.put(name, value);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return value;
    }

    /** Registers a submodule under {@code name}; returns it so fields can be initialised in one line. */
    protected final <M extends Module> M register(String name, M module) {
        checkName("module", name);
        if (module == null) {
            throw new IllegalArgumentException("module \"" + name + "\" is null; register a module, or leave the name out");
        }
        children.put(name, module);
        return module;
    }

    /**
     * Puts {@code module} in place of the child registered under {@code name}, at its position, as
     * PyTorch's {@code add_module} (or {@code model.fc = ...}) on an existing name; returns it. A
     * subclass that keeps the child in a field calls it from a method that updates the field too.
     */
    protected final <M extends Module> M replace(String name, M module) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule \"" + name + "\" to replace; it has "
                    + children.keySet());
        }
        children.put(name, java.util.Objects.requireNonNull(module, "module"));
        return module;
    }

    /**
     * Removes a submodule with its parameters and buffers (PyTorch's {@code self.name = None}): it
     * leaves the state dict, {@link #parameters()} and {@link #modules()}.
     */
    protected final void remove(String name) {
        if (children.remove(name) == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule \"" + name + "\" to remove; it has "
                    + children.keySet());
        }
    }

    /**
     * Registers a parameter under {@code name}, or puts it in place of the one registered there, at
     * its position (PyTorch's {@code register_parameter} on a taken name); returns it.
     */
    final Tensor putParameter(String name, Tensor value) {
        if (!parameters.containsKey(name)) {
            return registerParameter(name, value);
        }
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("parameter \"" + name + "\" must be a leaf tensor; pass value.detach()");
        }
        value.requiresGrad_(true);
        parameters.put(name, value);
        return value;
    }

    /** Takes a parameter out of this module (PyTorch's {@code del module._parameters[name]}); returns it. */
    final Tensor removeParameter(String name) {
        Tensor removed = parameters.remove(name);
        if (removed == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter \"" + name + "\" to remove; it has "
                    + parameters.keySet());
        }
        return removed;
    }

    /** Takes a buffer out of this module; returns it. */
    final Tensor removeBuffer(String name) {
        Tensor removed = buffers.remove(name);
        nonPersistent.remove(name);
        if (removed == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer \"" + name + "\" to remove; it has "
                    + buffers.keySet());
        }
        return removed;
    }

    /** The weight and spectral norms on this module's tensors, by the name they recompute. */
    final Map<String, WeightReparametrization> reparametrizations() {
        if (reparametrizations == null) {
            reparametrizations = new LinkedHashMap<>();
        }
        return reparametrizations;
    }

    // ---- traversal ------------------------------------------------------------------------

    /** Parameters of this module and its descendants in registration order, each once. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters keyed by dotted path; a parameter shared by two modules appears under its first name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen, true);
        return out;
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean params) {
        for (var e : (params ? parameters : buffers).entrySet()) {
            if (seen.add(e.getValue())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (var e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, seen, params);
        }
    }

    /** Direct submodules in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all its descendants, depth first, parents before children. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** Like {@link #modules()}, keyed by dotted path ("" for this module). */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        namedModules("", out);
        return out;
    }

    private void namedModules(String path, Map<String, Module> out) {
        out.put(path, this);
        for (var e : children.entrySet()) {
            e.getValue().namedModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
        }
    }

    /** This module's own parameters (not its descendants'), in registration order, a parameter registered twice under both names; a view. */
    final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * The descendant at a dotted path ({@code "layer1.0.conv1"}; "" is this module), as PyTorch's
     * {@code get_submodule}; a missing step is an error naming the module that lacks it.
     */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module m = this;
        for (String step : target.split("\\.", -1)) {
            Module next = m.children.get(step);
            if (next == null) {
                throw new IllegalArgumentException("getSubmodule(\"" + target + "\"): " + m.getClass().getSimpleName() + " has no submodule \"" + step
                        + "\"; it has " + m.children.keySet());
            }
            m = next;
        }
        return m;
    }

    /** The parameter at a dotted path ({@code "fc.weight"}), as PyTorch's {@code get_parameter}. */
    public Tensor getParameter(String target) {
        return owned(target, "getParameter", "parameter", true);
    }

    /** The buffer at a dotted path ({@code "bn1.running_mean"}), as PyTorch's {@code get_buffer}. */
    public Tensor getBuffer(String target) {
        return owned(target, "getBuffer", "buffer", false);
    }

    private Tensor owned(String target, String op, String kind, boolean parameter) {
        int dot = target.lastIndexOf('.');
        Module owner;
        try {
            owner = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + "(\"" + target + "\"): " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
        String name = target.substring(dot + 1);
        Map<String, Tensor> own = parameter ? owner.parameters : owner.buffers;
        Tensor t = own.get(name);
        if (t == null) {
            throw new IllegalArgumentException(op + "(\"" + target + "\"): " + owner.getClass().getSimpleName() + " has no " + kind + " \"" + name
                    + "\"; it has " + own.keySet());
        }
        return t;
    }

    /** This module's own parameter (not a descendant's), or null. */
    public Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** This module's own buffer, or null. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    // ---- modes and bulk operations --------------------------------------------------------

    public boolean isTraining() {
        return training;
    }

    /** Sets training mode here and in every descendant (batch norm and dropout read it). */
    public Module train(boolean on) {
        for (Module m : modules()) {
            m.training = on;
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    /** Clears every parameter's gradient (PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Freezes ({@code false}) or unfreezes every parameter of this module and its descendants. */
    public Module requiresGrad(boolean on) {
        for (Tensor p : parameters()) {
            p.requiresGrad_(on);
        }
        return this;
    }

    /** Calls fn on every descendant, then on this module (children first, as PyTorch does): for custom init. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /**
     * Moves parameters, their gradients and buffers to {@code device} in place (every reference to a
     * parameter stays valid); create optimizers after moving, as in PyTorch.
     */
    public Module to(Device device) {
        try (var g = GradMode.off()) {
            for (Tensor t : distinct(parameters(), buffers())) {
                if (!t.device().equals(device)) {
                    Tensor grad = t.grad();
                    t.set_(t.to(device));
                    if (grad != null) {
                        t.setGrad(grad.to(device));
                    }
                }
            }
        }
        return this;
    }

    private static List<Tensor> distinct(List<Tensor> a, List<Tensor> b) {
        List<Tensor> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Number of parameter elements; {@code trainableOnly} counts those that require grad. */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (Tensor p : parameters()) {
            if (!trainableOnly || p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    public long parameterCount() {
        return parameterCount(false);
    }

    /**
     * Overwrites a parameter or buffer, addressed by dotted path, with {@code value}'s elements
     * (the notebook's {@code model.conv.weight.data = edge_kernels}); shapes must match.
     */
    public void set(String path, Tensor value) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        stateTensors("", all, true);
        Tensor target = all.get(path);
        if (target == null) {
            throw new IllegalArgumentException("set: " + getClass().getSimpleName() + " has no parameter or buffer \"" + path
                    + "\"; it has " + all.keySet());
        }
        if (!java.util.Arrays.equals(target.shape(), value.shape())) {
            throw new IllegalArgumentException("set: \"" + path + "\" has shape " + Shapes.str(target.shape()) + ", value has "
                    + Shapes.str(value.shape()));
        }
        try (var g = GradMode.off()) {
            target.copy_(value.to(target.device()).to(target.dtype()));
        }
    }

    // ---- state dicts ----------------------------------------------------------------------

    /** Parameters then buffers of each module, parents first: the live tensors, keyed like PyTorch. */
    private Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateTensors("", out, false);
        return out;
    }

    /** With {@code all}, the buffers that are not persistent too. */
    private void stateTensors(String prefix, Map<String, Tensor> out, boolean all) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        buffers.forEach((k, v) -> {
            if (all || !nonPersistent.contains(k)) {
                out.put(prefix + k, v);
            }
        });
        children.forEach((k, v) -> v.stateTensors(prefix + k + ".", out, all));
    }

    /** Detached views of every parameter and buffer, keyed and ordered as PyTorch's {@code state_dict()}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateTensors().forEach((k, v) -> out.put(k, v.detach()));
        return out;
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. With {@code strict}, missing
     * and unexpected keys are errors; shape and dtype mismatches always are. Nothing is written
     * unless every entry checks out. Returns the keys left out on either side, as PyTorch does.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        // Lazy layers take their sizes from the state dict first, as PyTorch's load hook does.
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            if (e.getValue() instanceof LazyModule lazy && !lazy.materialized()) {
                String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
                Map<String, Tensor> own = new LinkedHashMap<>();
                state.forEach((k, v) -> {
                    if (k.startsWith(prefix) && k.indexOf('.', prefix.length()) < 0) {
                        own.put(k.substring(prefix.length()), v);
                    }
                });
                if (!own.isEmpty()) {
                    lazy.materialize(own);
                }
            }
        }
        return StateDicts.load(getClass().getSimpleName(), stateTensors(), state, strict);
    }

    // ---- summary hooks --------------------------------------------------------------------

    /** Reports a layer's output to an active {@link Summary}; built-in layers return through it. */
    protected final Tensor traced(Tensor output) {
        Summary.record(this, output);
        return output;
    }

    // ---- printing -------------------------------------------------------------------------

    /** The arguments shown in {@link #toString()}, like PyTorch's {@code extra_repr}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch's module repr: {@code Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n)}. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) {
            return name + "(" + extraRepr() + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extraRepr().isEmpty()) {
            sb.append("\n  ").append(extraRepr());
        }
        for (var e : children.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
