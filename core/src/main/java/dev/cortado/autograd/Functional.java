package dev.cortado.autograd;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Derivatives of a function rather than of a recorded result, as
 * {@code torch.autograd.functional}: Jacobians, Hessians and their products with a vector. Each
 * call evaluates f on fresh leaves that share the inputs' data, so the inputs' own graphs and
 * {@code grad()} are untouched, and returns results without a graph. An output that does not
 * depend on an input has a zero derivative there (PyTorch's {@code strict=False}).
 *
 * <pre>{@code
 * Tensor h = Functional.hessian(x -> x.pow(3).sum(), x);      // diag(6 x)
 * Tensor hv = Functional.hvp(loss, weights, direction);         // H v without forming H
 * }</pre>
 */
public final class Functional {
    private Functional() {
    }

    /** d f(x) / d x, of shape f(x).shape followed by x.shape. */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x) {
        Function<Tensor[], Tensor> g = in -> f.apply(in[0]);
        return jacobian(g, new Tensor[] {x})[0];
    }

    /** d f / d inputs[i] for each input, of shape f(inputs).shape followed by inputs[i].shape. */
    public static Tensor[] jacobian(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] leaves = leaves(inputs);
        Tensor out = call("jacobian", f, leaves);
        return rowsOf(out, leaves);
    }

    /** The Hessian of a function f of one tensor to one value: shape x.shape followed by x.shape. */
    public static Tensor hessian(UnaryOperator<Tensor> f, Tensor x) {
        Tensor leaf = leaves(x)[0];
        Tensor value = call("hessian", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireScalar("hessian", value);
        return rowsOf(gradient(value, leaf), new Tensor[] {leaf})[0];
    }

    /** vᵀ J, the vector-Jacobian product (what backward computes), for v shaped like f(x). */
    public static Tensor vjp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        Tensor leaf = leaves(x)[0];
        Tensor out = call("vjp", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireShape("vjp", "v", v, out, "f(x)");
        return orZeros(gradients(out, new Tensor[] {leaf}, v, false)[0], leaf);
    }

    /**
     * J v, the Jacobian-vector product, for v shaped like x: by the double-vjp trick, as PyTorch
     * does, the vjp for an output gradient u is recorded (linear in u) and differentiated in u.
     */
    public static Tensor jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        requireShape("jvp", "v", v, x, "x");
        Tensor leaf = leaves(x)[0];
        Tensor out = call("jvp", in -> f.apply(in[0]), new Tensor[] {leaf});
        if (!out.requiresGrad()) {
            return out.zerosLike();
        }
        Tensor u = out.detach().zerosLike().requiresGrad_(true);
        Tensor vjp = gradients(out, new Tensor[] {leaf}, u, true)[0];
        if (vjp == null || !vjp.requiresGrad()) {
            return out.zerosLike();
        }
        return orZeros(Gradients.grad(List.of(vjp), List.of(u), List.of(v.detach()), false, false, true)[0], u);
    }

    /** H v for the Hessian H of a function f of one tensor to one value, without forming H. */
    public static Tensor hvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        requireShape("hvp", "v", v, x, "x");
        Tensor leaf = leaves(x)[0];
        Tensor value = call("hvp", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireScalar("hvp", value);
        Tensor g = gradient(value, leaf);
        if (!g.requiresGrad()) {
            return leaf.detach().zerosLike();
        }
        return orZeros(Gradients.grad(List.of(g), List.of(leaf), List.of(v.detach()), false, false, true)[0], leaf);
    }

    /** d value / d leaf with its graph kept (createGraph), zeros where value does not depend on leaf. */
    private static Tensor gradient(Tensor value, Tensor leaf) {
        Tensor g = gradients(value, new Tensor[] {leaf}, value.onesLike(), true)[0];
        return g != null ? g : leaf.detach().zerosLike();
    }

    private static Tensor[] gradients(Tensor out, Tensor[] leaves, Tensor seed, boolean createGraph) {
        if (!out.requiresGrad()) {
            return new Tensor[leaves.length];
        }
        return Gradients.grad(List.of(out), Arrays.asList(leaves), List.of(seed), true, createGraph, true);
    }

    /** One backward pass per element of out, each row the gradient for a one-hot output gradient. */
    private static Tensor[] rowsOf(Tensor out, Tensor[] leaves) {
        int n = out.numel();
        List<List<Tensor>> rows = new ArrayList<>();
        for (Tensor leaf : leaves) {
            rows.add(new ArrayList<>(n));
        }
        Tensor flatSeed = out.detach().zerosLike().reshape(-1);
        for (int i = 0; i < n; i++) {
            Tensor seed = flatSeed.zerosLike();
            try (var off = GradMode.off()) {
                seed.narrow(0, i, 1).fill_(1);
            }
            Tensor[] g = gradients(out, leaves, seed.reshape(out.shape()), false);
            for (int k = 0; k < leaves.length; k++) {
                rows.get(k).add(orZeros(g[k], leaves[k]));
            }
        }
        Tensor[] result = new Tensor[leaves.length];
        for (int k = 0; k < leaves.length; k++) {
            int[] shape = concat(out.shape(), leaves[k].shape());
            result[k] = n == 0 ? Tensor.zeros(shape, leaves[k].dtype(), leaves[k].device()) : Tensor.stack(rows.get(k), 0).reshape(shape);
        }
        return result;
    }

    private static Tensor[] leaves(Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("autograd.functional: input " + i + " has dtype " + inputs[i].dtype()
                        + "; derivatives need floating-point inputs");
            }
            leaves[i] = inputs[i].detach().requiresGrad_(true);
        }
        return leaves;
    }

    private static Tensor call(String op, Function<Tensor[], Tensor> f, Tensor[] leaves) {
        Tensor out;
        try (var on = GradMode.on()) {
            out = f.apply(leaves);
        }
        if (out == null) {
            throw new IllegalArgumentException(op + ": the function returned null; it must return a tensor");
        }
        return out;
    }

    private static void requireScalar(String op, Tensor value) {
        if (value.numel() != 1) {
            throw new IllegalArgumentException(op + ": the function must return a single value, got shape " + Shapes.str(value.shape()));
        }
    }

    private static void requireShape(String op, String name, Tensor v, Tensor like, String likeName) {
        if (!Arrays.equals(v.shape(), like.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.str(v.shape()) + " but " + likeName + " has shape "
                    + Shapes.str(like.shape()) + "; they must match");
        }
    }

    private static Tensor orZeros(Tensor g, Tensor like) {
        return g != null ? g.detach() : like.detach().zerosLike();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
