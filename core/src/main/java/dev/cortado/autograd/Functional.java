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
 * {@code grad()} are untouched, and returns results without a graph; the overloads taking
 * {@code createGraph} return results that lead back to the inputs that require grad, for higher
 * derivatives. An output that does not depend on an input has a zero derivative there (PyTorch's
 * {@code strict=False}).
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
        return jacobian(f, x, false);
    }

    /**
     * d f(x) / d x; with createGraph the result is itself differentiable in x (when x requires
     * grad), as PyTorch's {@code create_graph=True}.
     */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x, boolean createGraph) {
        Function<Tensor[], Tensor> g = in -> f.apply(in[0]);
        return jacobian(g, createGraph, x)[0];
    }

    /** d f / d inputs[i] for each input, of shape f(inputs).shape followed by inputs[i].shape. */
    public static Tensor[] jacobian(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return jacobian(f, false, inputs);
    }

    /** {@link #jacobian(Function, Tensor...)}, with the results differentiable when createGraph is set. */
    public static Tensor[] jacobian(Function<Tensor[], Tensor> f, boolean createGraph, Tensor... inputs) {
        Tensor[] leaves = leaves(createGraph, inputs);
        Tensor out = call("jacobian", f, leaves);
        return rowsOf(out, leaves, createGraph);
    }

    /** The Hessian of a function f of one tensor to one value: shape x.shape followed by x.shape. */
    public static Tensor hessian(UnaryOperator<Tensor> f, Tensor x) {
        return hessian(f, x, false);
    }

    /** The Hessian, differentiable in x when createGraph is set (third derivatives). */
    public static Tensor hessian(UnaryOperator<Tensor> f, Tensor x, boolean createGraph) {
        Tensor leaf = leaves(createGraph, x)[0];
        Tensor value = call("hessian", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireScalar("hessian", value);
        return rowsOf(gradient(value, leaf), new Tensor[] {leaf}, createGraph)[0];
    }

    /** vᵀ J, the vector-Jacobian product (what backward computes), for v shaped like f(x). */
    public static Tensor vjp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        return vjp(f, x, v, false);
    }

    /** vᵀ J, differentiable in x and v when createGraph is set. */
    public static Tensor vjp(UnaryOperator<Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        Tensor leaf = leaves(createGraph, x)[0];
        Tensor out = call("vjp", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireShape("vjp", "v", v, out, "f(x)");
        return result(gradients(out, new Tensor[] {leaf}, seed(v, createGraph), createGraph)[0], leaf, createGraph);
    }

    /**
     * J v, the Jacobian-vector product, for v shaped like x: by the double-vjp trick, as PyTorch
     * does, the vjp for an output gradient u is recorded (linear in u) and differentiated in u.
     */
    public static Tensor jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        return jvp(f, x, v, false);
    }

    /** J v, differentiable in x and v when createGraph is set. */
    public static Tensor jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        requireShape("jvp", "v", v, x, "x");
        Tensor leaf = leaves(createGraph, x)[0];
        Tensor out = call("jvp", in -> f.apply(in[0]), new Tensor[] {leaf});
        if (!out.requiresGrad()) {
            return out.detach().zerosLike();
        }
        Tensor u = out.detach().zerosLike().requiresGrad_(true);
        return secondPass(gradients(out, new Tensor[] {leaf}, u, true)[0], u, v, createGraph);
    }

    /** H v for the Hessian H of a function f of one tensor to one value, without forming H. */
    public static Tensor hvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        return hvp(f, x, v, false);
    }

    /** H v, differentiable in x and v when createGraph is set. */
    public static Tensor hvp(UnaryOperator<Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        requireShape("hvp", "v", v, x, "x");
        Tensor leaf = leaves(createGraph, x)[0];
        Tensor value = call("hvp", in -> f.apply(in[0]), new Tensor[] {leaf});
        requireScalar("hvp", value);
        return secondPass(gradient(value, leaf), leaf, v, createGraph);
    }

    /**
     * jvp's and hvp's second pass: the gradient in wrt of a recorded first derivative, for the
     * output gradient v; zeros where the first derivative does not depend on wrt.
     */
    private static Tensor secondPass(Tensor first, Tensor wrt, Tensor v, boolean createGraph) {
        if (first == null || !first.requiresGrad()) {
            return wrt.detach().zerosLike();
        }
        Tensor[] g = Gradients.grad(List.of(first), List.of(wrt), List.of(seed(v, createGraph)), createGraph, createGraph, true);
        return result(g[0], wrt, createGraph);
    }

    /** d value / d leaf with its graph kept (createGraph), zeros where value does not depend on leaf. */
    private static Tensor gradient(Tensor value, Tensor leaf) {
        Tensor g = gradients(value, new Tensor[] {leaf}, value.detach().onesLike(), true)[0];
        return g != null ? g : leaf.detach().zerosLike();
    }

    private static Tensor[] gradients(Tensor out, Tensor[] leaves, Tensor seed, boolean createGraph) {
        if (!out.requiresGrad()) {
            return new Tensor[leaves.length];
        }
        return Gradients.grad(List.of(out), Arrays.asList(leaves), List.of(seed), true, createGraph, true);
    }

    /** One backward pass per element of out, each row the gradient for a one-hot output gradient. */
    private static Tensor[] rowsOf(Tensor out, Tensor[] leaves, boolean createGraph) {
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
            Tensor[] g = gradients(out, leaves, seed.reshape(out.shape()), createGraph);
            for (int k = 0; k < leaves.length; k++) {
                rows.get(k).add(result(g[k], leaves[k], createGraph));
            }
        }
        Tensor[] result = new Tensor[leaves.length];
        for (int k = 0; k < leaves.length; k++) {
            int[] shape = concat(out.shape(), leaves[k].shape());
            result[k] = n == 0 ? Tensor.zeros(shape, leaves[k].dtype(), leaves[k].device()) : Tensor.stack(rows.get(k), 0).reshape(shape);
        }
        return result;
    }

    /**
     * The tensors f is evaluated on. Without createGraph they are fresh leaves, cut from the
     * inputs' graphs; with it an input that requires grad enters through a differentiable view of
     * itself (PyTorch's {@code view_as}), so the results lead back to it.
     */
    private static Tensor[] leaves(boolean createGraph, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("autograd.functional: input " + i + " has dtype " + inputs[i].dtype()
                        + "; derivatives need floating-point inputs");
            }
            if (createGraph && inputs[i].requiresGrad()) {
                try (var on = GradMode.on()) {
                    leaves[i] = inputs[i].view(inputs[i].shape());
                }
            } else {
                leaves[i] = inputs[i].detach().requiresGrad_(true);
            }
        }
        return leaves;
    }

    /** The output gradient as given with createGraph (it may carry a graph), else cut from it. */
    private static Tensor seed(Tensor v, boolean createGraph) {
        return createGraph ? v : v.detach();
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

    /** A derivative as returned: zeros where f does not depend on the input, cut from its graph unless createGraph. */
    private static Tensor result(Tensor g, Tensor like, boolean createGraph) {
        if (g == null) {
            return like.detach().zerosLike();
        }
        return createGraph ? g : g.detach();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
