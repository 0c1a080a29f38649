package dev.cortado.optim;

import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What LBFGS carries from one {@code step} to the next, under PyTorch's names: the evaluation and
 * iteration counts, the last direction {@code d} and step {@code t}, the curvature pairs
 * ({@code old_dirs} = y, {@code old_stps} = s, {@code ro} = 1 / y·s), the initial inverse
 * Hessian scale {@code H_diag}, and the previous gradient and loss. Vectors are flat, the
 * length of all parameters together.
 */
final class LBFGSState {
    long funcEvals;
    long nIter;
    Tensor d;
    double t;
    final List<Tensor> oldDirs = new ArrayList<>();
    final List<Tensor> oldStps = new ArrayList<>();
    final List<Float> ro = new ArrayList<>();
    /** 1 until the first curvature pair, then y·s / y·y, a float32 as PyTorch's tensor. */
    double hDiag = 1;
    Tensor prevFlatGrad;
    double prevLoss = Double.NaN;

    /** Whether a step has run (PyTorch's state is empty before the first). */
    boolean started() {
        return funcEvals > 0;
    }

    void keep() {
        for (Tensor v : new Tensor[] {d, prevFlatGrad}) {
            if (v != null) {
                MemoryScope.keep(v);
            }
        }
        oldDirs.forEach(MemoryScope::keep);
        oldStps.forEach(MemoryScope::keep);
    }

    /** Cortado's flat form: {@code state.0.<name>}, histories stacked into (k, n) and (k). */
    Map<String, Tensor> toFlat() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (!started()) {
            return out;
        }
        out.put("state.0.func_evals", count(funcEvals));
        out.put("state.0.n_iter", count(nIter));
        if (d == null) {
            return out;
        }
        out.put("state.0.d", d.detach());
        out.put("state.0.t", number(t));
        out.put("state.0.old_dirs", stack(oldDirs, d));
        out.put("state.0.old_stps", stack(oldStps, d));
        float[] r = new float[ro.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ro.get(i);
        }
        out.put("state.0.ro", Tensor.fromArray(r, new int[] {r.length}, Device.CPU));
        out.put("state.0.H_diag", number(hDiag));
        out.put("state.0.prev_flat_grad", prevFlatGrad.detach());
        out.put("state.0.prev_loss", number(prevLoss));
        return out;
    }

    private static Tensor count(long n) {
        return Tensor.full(new int[0], n, DType.INT64, Device.CPU);
    }

    private static Tensor number(double v) {
        return Tensor.full(new int[0], v, DType.FLOAT32, Device.CPU);
    }

    private static Tensor stack(List<Tensor> rows, Tensor like) {
        return rows.isEmpty() ? Tensor.zeros(new int[] {0, like.numel()}, DType.FLOAT32, like.device()) : Tensor.stack(rows, 0);
    }

    /** Reads {@link #toFlat()}'s tensors (keys without the {@code state.0.} prefix) for parameters of n elements on {@code device}. */
    static LBFGSState fromFlat(Map<String, Tensor> values, int n, Device device) {
        String where = "LBFGS.loadStateDict: ";
        LBFGSState s = new LBFGSState();
        if (values.isEmpty()) {
            return s;
        }
        s.funcEvals = (long) scalar(where, values, "func_evals");
        s.nIter = (long) scalar(where, values, "n_iter");
        if (!values.containsKey("d")) {
            return s;
        }
        s.d = vector(where, values, "d", n, device);
        s.t = scalar(where, values, "t");
        s.hDiag = scalar(where, values, "H_diag");
        s.prevFlatGrad = vector(where, values, "prev_flat_grad", n, device);
        s.prevLoss = scalar(where, values, "prev_loss");
        Tensor dirs = require(where, values, "old_dirs");
        Tensor stps = require(where, values, "old_stps");
        Tensor r = require(where, values, "ro");
        int k = r.numel();
        for (Tensor h : new Tensor[] {dirs, stps}) {
            if (h.dim() != 2 || h.shape()[0] != k || h.shape()[1] != n) {
                throw new IllegalArgumentException(where + "the curvature history should be (" + k + ", " + n + ") for " + k
                        + " ro values and parameters of " + n + " elements, got " + Shapes.str(h.shape()));
            }
        }
        float[] rv = r.toFloatArray();
        for (int i = 0; i < k; i++) {
            s.oldDirs.add(dirs.select(0, i).to(device).clone());
            s.oldStps.add(stps.select(0, i).to(device).clone());
            s.ro.add(rv[i]);
        }
        s.keep();
        return s;
    }

    private static Tensor require(String where, Map<String, Tensor> values, String name) {
        Tensor v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(where + "the state has a direction d but no \"" + name + "\"; it has " + values.keySet());
        }
        return v;
    }

    private static double scalar(String where, Map<String, Tensor> values, String name) {
        Tensor v = values.get(name);
        if (v == null || v.numel() != 1) {
            throw new IllegalArgumentException(where + "expected a number \"" + name + "\" in the state, got "
                    + (v == null ? "none" : "shape " + Shapes.str(v.shape())));
        }
        return v.item();
    }

    private static Tensor vector(String where, Map<String, Tensor> values, String name, int n, Device device) {
        Tensor v = require(where, values, name);
        if (v.dim() != 1 || v.numel() != n) {
            throw new IllegalArgumentException(where + "\"" + name + "\" should be a vector of " + n + " elements (all parameters, flat), got "
                    + Shapes.str(v.shape()));
        }
        return MemoryScope.keep(v.to(DType.FLOAT32).to(device).clone());
    }

    /** PyTorch's {@code state[params[0]]}: Python numbers for the counts, t and the loss, lists for the history. */
    Map<String, Object> toTorch() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!started()) {
            return out;
        }
        out.put("func_evals", funcEvals);
        out.put("n_iter", nIter);
        if (d == null) {
            return out;
        }
        out.put("d", d.detach());
        out.put("t", t);
        out.put("old_dirs", new ArrayList<Object>(oldDirs));
        out.put("old_stps", new ArrayList<Object>(oldStps));
        List<Object> r = new ArrayList<>();
        ro.forEach(v -> r.add(Tensor.full(new int[0], v, DType.FLOAT32, Device.CPU)));
        out.put("ro", r);
        out.put("H_diag", number(hDiag));
        out.put("prev_flat_grad", prevFlatGrad.detach());
        out.put("prev_loss", prevLoss);
        return out;
    }

    /** PyTorch's state entry in the flat form {@link #fromFlat} reads: lists stacked, numbers as 0-dim tensors. */
    static Map<String, Tensor> flatFromTorch(Map<?, ?> state) {
        String where = "LBFGS.loadTorchStateDict: ";
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String name = String.valueOf(e.getKey());
            switch (e.getValue()) {
                case Tensor t -> out.put(name, t);
                case Number v -> out.put(name, number(v.doubleValue()));
                case List<?> list when name.equals("al") -> {
                    // PyTorch's scratch space for the two-loop recursion: rewritten before every use.
                }
                case List<?> list -> {
                    List<Tensor> rows = new ArrayList<>();
                    for (Object o : list) {
                        if (!(o instanceof Tensor t)) {
                            throw new IllegalArgumentException(where + "\"" + name + "\" should be a list of tensors, got a "
                                    + (o == null ? "None" : o.getClass().getSimpleName()));
                        }
                        rows.add(t.dim() == 0 ? t.reshape(1) : t);
                    }
                    boolean numbers = name.equals("ro");
                    out.put(name, rows.isEmpty() ? Tensor.zeros(numbers ? new int[] {0} : new int[] {0, 0}, DType.FLOAT32, Device.CPU)
                            : numbers ? Tensor.cat(rows, 0) : Tensor.stack(rows, 0));
                }
                case null -> { }
                default -> throw new IllegalArgumentException(where + "state \"" + name + "\" is a " + e.getValue().getClass().getSimpleName()
                        + ", not a tensor, number or list");
            }
        }
        // An empty history has no row length to read; give it the direction's.
        Tensor d = out.get("d");
        for (String h : new String[] {"old_dirs", "old_stps"}) {
            if (d != null && out.containsKey(h) && out.get(h).numel() == 0) {
                out.put(h, Tensor.zeros(new int[] {0, d.numel()}, DType.FLOAT32, Device.CPU));
            }
        }
        return out;
    }
}
