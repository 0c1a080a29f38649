package dev.cortado.autograd;

import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Compares autograd's gradients with central finite differences. Meant for a backend that
 * computes in double precision (the test reference backend), where differences of 1e-6 are
 * meaningful; on float32 backends loosen eps and tolerances.
 *
 * <pre>{@code
 * Gradcheck.check(in -> in[0].sigmoid().mul(in[1]).sum(), x, y);
 * }</pre>
 */
public final class Gradcheck {
    private final double eps;
    private final double atol;
    private final double rtol;

    public Gradcheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Tolerances for double-precision backends. */
    public static Gradcheck doublePrecision() {
        return new Gradcheck(1e-6, 1e-7, 1e-5);
    }

    /** Checks with {@link #doublePrecision()}; throws AssertionError naming the input and element that differ. */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        doublePrecision().run(f, inputs);
    }

    /**
     * Checks second derivatives, as PyTorch's {@code gradgradcheck}: the gradients of f (taken
     * with createGraph, for a random output gradient that is itself an input of the check) are
     * projected on random directions and that scalar is checked with {@link #run}, against
     * finite differences of the first-order gradients.
     */
    public static void checkSecondOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
        doublePrecision().runSecondOrder(f, inputs);
    }

    public void runSecondOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor out;
        try (var on = GradMode.on()) {
            // Leaves with grad mode on, as the check's own calls give f: f may take gradients itself.
            Tensor[] leaves = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                leaves[i] = inputs[i].detach().requiresGrad_(true);
            }
            out = f.apply(leaves);
        }
        Generator g = new Generator(4321);
        Tensor[] directions = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            directions[i] = random(g, inputs[i].shape(), inputs[i]);
        }
        Tensor[] all = java.util.Arrays.copyOf(inputs, inputs.length + 1);
        all[inputs.length] = random(g, out.shape(), out);
        run(in -> projectedGradients(f, in, directions), all);
    }

    /** sum over i of (d f(in) / d in_i, for output gradient in[last]) · directions[i], keeping its graph. */
    private static Tensor projectedGradients(Function<Tensor[], Tensor> f, Tensor[] in, Tensor[] directions) {
        try (var on = GradMode.on()) {
            List<Tensor> args = new ArrayList<>();
            for (int i = 0; i < directions.length; i++) {
                // The finite-difference passes hand over plain tensors; the gradients need leaves.
                args.add(in[i].requiresGrad() ? in[i] : in[i].detach().requiresGrad_(true));
            }
            Tensor out = f.apply(args.toArray(Tensor[]::new));
            Tensor[] grads = Gradients.grad(List.of(out), args, List.of(in[directions.length]), true, true, true);
            // Starts from 0·x so that a second derivative that is identically zero is checked too.
            Tensor total = args.get(0).mul(0).sum();
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] != null) {
                    total = total.add(grads[i].mul(directions[i]).sum());
                }
            }
            return total;
        }
    }

    /** Uniform values in [-1, 1) of shape, on like's device. */
    private static Tensor random(Generator g, int[] shape, Tensor like) {
        double[] w = new double[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < w.length; i++) {
            w[i] = g.nextDouble() * 2 - 1;
        }
        return Tensor.fromArray(w, shape, like.device());
    }

    public void run(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = inputs[i].detach().requiresGrad_(true);
        }
        Tensor out = f.apply(leaves);
        // A fixed random projection turns any output into a scalar while still testing every output element.
        Tensor weights = random(new Generator(1234), out.shape(), out);
        out.mul(weights).sum().backward();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            double[] analytic = leaves[i].grad() == null ? new double[inputs[i].numel()] : leaves[i].grad().toDoubleArray();
            double[] base = inputs[i].toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double numeric = (projected(f, inputs, i, base, j, eps, weights) - projected(f, inputs, i, base, j, -eps, weights)) / (2 * eps);
                if (!(Math.abs(analytic[j] - numeric) <= atol + rtol * Math.abs(numeric))) {
                    failures.add("input " + i + " element " + j + ": analytic " + analytic[j] + " vs numeric " + numeric);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("gradcheck failed for " + failures.size() + " element(s):\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    private static double projected(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] base, int j,
                                    double delta, Tensor weights) {
        Tensor[] args = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            args[i] = inputs[i].detach();
        }
        double[] moved = base.clone();
        moved[j] += delta;
        args[which] = Tensor.fromArray(moved, inputs[which].shape(), inputs[which].device());
        try (var off = GradMode.off()) {
            return f.apply(args).mul(weights).sum().item();
        }
    }
}
