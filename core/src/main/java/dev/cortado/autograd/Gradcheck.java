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

    public void run(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = inputs[i].detach().requiresGrad_(true);
        }
        Tensor out = f.apply(leaves);
        // A fixed random projection turns any output into a scalar while still testing every output element.
        Generator g = new Generator(1234);
        double[] w = new double[out.numel()];
        for (int i = 0; i < w.length; i++) {
            w[i] = g.nextDouble() * 2 - 1;
        }
        Tensor weights = Tensor.fromArray(w, out.shape(), out.device());
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
