package dev.cortado.optim;

import dev.cortado.autograd.GradMode;
import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code torch.optim.LBFGS(params, lr=1, max_iter=20, max_eval=max_iter * 5 / 4,
 * tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=None)}: limited-memory
 * BFGS on all parameters as one flat vector. Each {@link #step(Supplier)} runs up to max_iter
 * iterations and so calls the closure several times; the closure clears the gradients, computes
 * the loss, calls backward and returns the loss.
 * <pre>{@code
 * LBFGS opt = new LBFGS(model.parameters(), 1, 20, "strong_wolfe");
 * opt.step(() -> { opt.zeroGrad(); Tensor loss = lossFn.apply(model.forward(x), y); loss.backward(); return loss; });
 * }</pre>
 * As in PyTorch: one parameter group, the two-loop recursion over the last history_size curvature
 * pairs (a pair is kept only when y·s > 1e-10), a first step of min(1, 1 / |g|₁)·lr, and either a
 * fixed step of lr or the strong Wolfe line search ({@code "strong_wolfe"}).
 */
public final class LBFGS extends Optimizer {
    private final List<Tensor> params;
    private final int numel;
    private LBFGSState state = new LBFGSState();
    /** The two-loop recursion's coefficients, one per curvature pair. */
    private float[] al = new float[0];

    public LBFGS(List<Tensor> params) {
        this(params, 1, 20, null);
    }

    /** max_eval = max_iter * 5 / 4 and the default tolerances and history, as PyTorch's defaults. */
    public LBFGS(List<Tensor> params, double lr, int maxIter, String lineSearchFn) {
        this(params, lr, maxIter, maxIter * 5 / 4, 1e-7, 1e-9, 100, lineSearchFn);
    }

    /** @param lineSearchFn null for a fixed step of lr, or {@code "strong_wolfe"} */
    public LBFGS(List<Tensor> params, double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize,
                 String lineSearchFn) {
        super(single(params), options(lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn));
        this.params = List.copyOf(params);
        Device device = this.params.get(0).device();
        int n = 0;
        for (Tensor p : this.params) {
            if (!p.device().equals(device)) {
                throw new IllegalArgumentException("LBFGS: every parameter must be on one device (it steps them as one vector), got "
                        + device + " and " + p.device());
            }
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("LBFGS: can only optimize floating-point parameters, got " + p.dtype());
            }
            n = Math.addExact(n, p.numel());
        }
        this.numel = n;
    }

    private static Map<String, Double> options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange,
                                               int historySize, String lineSearchFn) {
        if (maxIter < 1 || maxEval < 1 || historySize < 1) {
            throw new IllegalArgumentException("LBFGS: max_iter, max_eval and history_size must be at least 1, got " + maxIter + ", "
                    + maxEval + " and " + historySize);
        }
        if (lineSearchFn != null && !lineSearchFn.equals("strong_wolfe")) {
            throw new IllegalArgumentException("LBFGS: only the line search \"strong_wolfe\" is supported (or null for none), got \""
                    + lineSearchFn + "\"");
        }
        Map<String, Double> o = new LinkedHashMap<>();
        o.put("lr", lr);
        o.put("max_iter", (double) maxIter);
        o.put("max_eval", (double) maxEval);
        o.put("tolerance_grad", toleranceGrad);
        o.put("tolerance_change", toleranceChange);
        o.put("history_size", (double) historySize);
        o.put("line_search_fn", lineSearchFn == null ? 0.0 : 1.0);
        return o;
    }

    /** LBFGS evaluates the loss several times per step, so it needs the closure: {@link #step(Supplier)}. */
    @Override
    public void step() {
        throw new UnsupportedOperationException("LBFGS: step() needs a closure that recomputes the loss: step(() -> { zeroGrad(); "
                + "loss = ...; loss.backward(); return loss; })");
    }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Tensor> s) {
        throw new UnsupportedOperationException("LBFGS steps all parameters together, in step(closure)");
    }

    /** Runs up to max_iter iterations and returns the loss of the first closure call, as PyTorch's {@code step(closure)}. */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        ParamGroup group = paramGroups().get(0);
        double lr = group.lr();
        int maxIter = (int) group.get("max_iter");
        int maxEval = (int) group.get("max_eval");
        double toleranceGrad = group.get("tolerance_grad");
        double toleranceChange = group.get("tolerance_change");
        int historySize = (int) group.get("history_size");
        boolean strongWolfe = group.get("line_search_fn") != 0;
        LBFGSState s = state;

        Tensor origLoss = evaluate(closure);
        double loss = origLoss.item();
        int currentEvals = 1;
        s.funcEvals++;
        try (var g = GradMode.off()) {
            Tensor flatGrad = gatherFlatGrad();
            if (absMax(flatGrad) <= toleranceGrad) {
                return origLoss;
            }
            int nIter = 0;
            while (nIter < maxIter) {
                nIter++;
                s.nIter++;
                if (s.nIter == 1) {
                    s.d = flatGrad.neg();
                    s.oldDirs.clear();
                    s.oldStps.clear();
                    s.ro.clear();
                    s.hDiag = 1;
                } else {
                    s.d = direction(s, flatGrad, historySize);
                }
                s.prevFlatGrad = flatGrad;
                s.prevLoss = loss;
                if (s.nIter == 1) {
                    float inverse = 1f / (float) flatGrad.abs().sum().item();
                    s.t = inverse < 1 ? (float) (inverse * lr) : lr;
                } else {
                    s.t = lr;
                }
                float gtd = (float) flatGrad.dot(s.d).item();
                if (gtd > -toleranceChange) {
                    break;
                }
                int lsEvals = 0;
                if (strongWolfe) {
                    List<Tensor> start = new ArrayList<>();
                    params.forEach(p -> start.add(p.detach().clone()));
                    Tensor d = s.d;
                    StrongWolfe.Result r = StrongWolfe.search(t -> directionalEvaluate(closure, start, t, d), s.t, d, loss, flatGrad, gtd);
                    loss = r.f();
                    flatGrad = r.g();
                    s.t = r.t();
                    lsEvals = r.evaluations();
                    addToParams(s.t, d);
                } else {
                    addToParams(s.t, s.d);
                    if (nIter != maxIter) {
                        // Not on the last iteration: the next step's first call evaluates there anyway.
                        loss = evaluate(closure).item();
                        flatGrad = gatherFlatGrad();
                        lsEvals = 1;
                    }
                }
                currentEvals += lsEvals;
                s.funcEvals += lsEvals;
                if (nIter == maxIter || currentEvals >= maxEval || absMax(flatGrad) <= toleranceGrad) {
                    break;
                }
                if (absMax(s.d.mul(s.t)) <= toleranceChange || Math.abs(loss - s.prevLoss) < toleranceChange) {
                    break;
                }
            }
        } finally {
            s.keep();
        }
        return origLoss;
    }

    /**
     * The two-loop recursion: first records the pair (y, s) of the last iteration when its
     * curvature y·s is positive, dropping the oldest beyond historySize, then returns -H·g.
     */
    private Tensor direction(LBFGSState s, Tensor flatGrad, int historySize) {
        Tensor y = flatGrad.sub(s.prevFlatGrad);
        Tensor step = s.d.mul(s.t);
        float ys = (float) y.dot(step).item();
        if (ys > 1e-10) {
            if (s.oldDirs.size() == historySize) {
                s.oldDirs.remove(0);
                s.oldStps.remove(0);
                s.ro.remove(0);
            }
            s.oldDirs.add(y);
            s.oldStps.add(step);
            s.ro.add(1f / ys);
            s.hDiag = ys / (float) y.dot(y).item();
        }
        int k = s.oldDirs.size();
        if (al.length < k) {
            al = new float[k];
        }
        Tensor q = flatGrad.neg();
        for (int i = k - 1; i >= 0; i--) {
            al[i] = (float) s.oldStps.get(i).dot(q).item() * s.ro.get(i);
            q.add_(s.oldDirs.get(i), -al[i]);
        }
        Tensor r = q.mul(s.hDiag);
        for (int i = 0; i < k; i++) {
            float be = (float) s.oldDirs.get(i).dot(r).item() * s.ro.get(i);
            r.add_(s.oldStps.get(i), al[i] - be);
        }
        return r;
    }

    private static Tensor evaluate(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = GradMode.on()) {
            loss = closure.get();
        }
        if (loss == null || loss.numel() != 1) {
            throw new IllegalArgumentException("LBFGS: the closure must return the loss, one value, got "
                    + (loss == null ? "null" : "shape " + dev.cortado.tensor.Shapes.str(loss.shape())));
        }
        return loss;
    }

    /** The loss and gradient at start + t·d; the parameters are put back to start. */
    private StrongWolfe.Point directionalEvaluate(Supplier<Tensor> closure, List<Tensor> start, double t, Tensor d) {
        addToParams(t, d);
        double f = evaluate(closure).item();
        Tensor g = gatherFlatGrad();
        for (int i = 0; i < params.size(); i++) {
            params.get(i).copy_(start.get(i));
        }
        return new StrongWolfe.Point(t, f, g, (float) g.dot(d).item());
    }

    /** Every parameter's gradient, flat and in order, zeros where a parameter has none. */
    private Tensor gatherFlatGrad() {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor p : params) {
            parts.add(p.grad() == null ? Tensor.zeros(new int[] {p.numel()}, p.dtype(), p.device()) : p.grad().reshape(-1));
        }
        return Tensor.cat(parts, 0);
    }

    private void addToParams(double stepSize, Tensor update) {
        int offset = 0;
        for (Tensor p : params) {
            int n = p.numel();
            p.add_(update.narrow(0, offset, n).view(p.shape()), stepSize);
            offset += n;
        }
    }

    private static double absMax(Tensor v) {
        return v.numel() == 0 ? 0 : v.abs().max().item();
    }

    // ---- state dicts: LBFGS keeps one state for all parameters, under the first, as PyTorch ----

    @Override
    public SafeTensors.Contents stateDict() {
        SafeTensors.Contents base = super.stateDict();
        Map<String, Tensor> tensors = new LinkedHashMap<>(base.tensors());
        tensors.putAll(state.toFlat());
        return new SafeTensors.Contents(tensors, base.metadata());
    }

    @Override
    public void loadStateDict(SafeTensors.Contents dict) {
        Map<String, Double> options = readOptions(dict);
        Map<String, Tensor> values = new HashMap<>();
        for (var e : dict.tensors().entrySet()) {
            if (!e.getKey().startsWith("state.0.")) {
                throw new IllegalArgumentException("LBFGS.loadStateDict: unexpected key \"" + e.getKey()
                        + "\": LBFGS keeps its whole state under the first parameter, state.0");
            }
            values.put(e.getKey().substring("state.0.".length()), e.getValue());
        }
        LBFGSState loaded = LBFGSState.fromFlat(values, numel, params.get(0).device());
        applyOptions(options);
        state = loaded;
    }

    @Override
    public Map<String, Object> torchStateDict() {
        ParamGroup g = paramGroups().get(0);
        Map<String, Object> group = new LinkedHashMap<>();
        for (var e : g.options().entrySet()) {
            String key = e.getKey();
            double v = e.getValue();
            switch (key) {
                case "max_iter", "max_eval", "history_size" -> group.put(key, (long) v);
                case "line_search_fn" -> group.put(key, v != 0 ? "strong_wolfe" : null);
                default -> group.put(key, v);
            }
        }
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            ids.add(i);
        }
        group.put("params", ids);
        Map<Long, Object> torchState = new LinkedHashMap<>();
        if (state.started()) {
            torchState.put(0L, state.toTorch());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", torchState);
        out.put("param_groups", List.of(group));
        return out;
    }

    @Override
    public void loadTorchStateDict(Map<?, ?> dict) {
        String where = "LBFGS.loadTorchStateDict: ";
        if (!(dict.get("state") instanceof Map<?, ?> saved) || !(dict.get("param_groups") instanceof List<?> groups) || groups.size() != 1
                || !(groups.get(0) instanceof Map<?, ?> group) || !(group.get("params") instanceof List<?> ids)) {
            throw new IllegalArgumentException(where + "expected PyTorch's LBFGS state_dict(): \"state\" and one param group with \"params\", "
                    + "got keys " + dict.keySet());
        }
        if (ids.size() != params.size()) {
            throw new IllegalArgumentException(where + "the state is for " + ids.size() + " parameters, this optimizer has " + params.size());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (var e : group.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (key.equals("params")) {
                continue;
            }
            if (key.equals("line_search_fn")) {
                if (v != null && !"strong_wolfe".equals(v)) {
                    throw new IllegalArgumentException(where + "line_search_fn " + v + " is not supported (only \"strong_wolfe\" or None)");
                }
                v = v == null ? 0.0 : 1.0;
            }
            if (!(v instanceof Number n) || !paramGroups().get(0).options().containsKey(key)) {
                throw new IllegalArgumentException(where + "param group option " + key + "=" + v + " is not one of LBFGS's "
                        + paramGroups().get(0).options().keySet() + ": the state of another optimizer?");
            }
            meta.put("param_groups.0." + key, Double.toString(n.doubleValue()));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : saved.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> entry) || !String.valueOf(e.getKey()).equals(String.valueOf(ids.get(0)))) {
                throw new IllegalArgumentException(where + "state entry " + e.getKey() + " is not the first parameter's (" + ids.get(0)
                        + "), where LBFGS keeps its state");
            }
            LBFGSState.flatFromTorch(entry).forEach((k, v) -> tensors.put("state.0." + k, v));
        }
        loadStateDict(new SafeTensors.Contents(tensors, meta));
    }
}
