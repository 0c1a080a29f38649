package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Tensor;

/**
 * Threshold, Hardshrink, Softshrink and Tanhshrink with PyTorch's gradients: a shrink passes the
 * gradient outside [-lambd, lambd] and stops it inside, bounds included; NaN passes through each
 * of them with its gradient (softshrink as PyTorch 2 has it; 1.13 turned NaN into 0).
 */
final class ShrinkActivations {
    private ShrinkActivations() {
    }


    /** x above the threshold, value at and below it. */
    static Tensor threshold(Tensor x, double threshold, double value) {
        Tensor out;
        Tensor replaced;
        try (var off = GradMode.off()) {
            replaced = x.le(threshold);
            out = Tensor.where(replaced, x.newFull(new int[0], value), x);
        }
        return CustomFunction.record(out, "ThresholdBackward0", new Tensor[] {replaced},
                (g, n) -> new Tensor[] {Tensor.where(replaced, g.newFull(new int[0], 0), g)}, x);
    }

    static Tensor hardshrink(Tensor x, double lambd) {
        Tensor out;
        Tensor inside;
        try (var off = GradMode.off()) {
            inside = inside(x, lambd);
            out = Tensor.where(inside, x.newFull(new int[0], 0), x);
        }
        return CustomFunction.record(out, "HardshrinkBackward0", new Tensor[] {inside},
                (g, n) -> new Tensor[] {Tensor.where(inside, g.newFull(new int[0], 0), g)}, x);
    }

    /** x - lambd above lambd, x + lambd below -lambd, 0 between: x less its clamp to [-lambd, lambd]. */
    static Tensor softshrink(Tensor x, double lambd) {
        if (!(lambd >= 0)) {
            throw new IllegalArgumentException("softshrink: lambda must be greater or equal to 0, but found to be " + lambd);
        }
        Tensor out;
        Tensor inside;
        try (var off = GradMode.off()) {
            inside = inside(x, lambd);
            out = x.sub(x.clamp(-lambd, lambd));
        }
        return CustomFunction.record(out, "SoftshrinkBackward0", new Tensor[] {inside},
                (g, n) -> new Tensor[] {Tensor.where(inside, g.newFull(new int[0], 0), g)}, x);
    }

    /** x - tanh(x), with PyTorch's gradient tanh(x)². */
    static Tensor tanhshrink(Tensor x) {
        Tensor out;
        Tensor t;
        try (var off = GradMode.off()) {
            t = x.tanh();
            out = x.sub(t);
        }
        return CustomFunction.record(out, "TanhshrinkBackward0", new Tensor[] {t}, (g, n) -> new Tensor[] {g.mul(t.mul(t))}, x);
    }

    /** -lambd ≤ x ≤ lambd, false for NaN. */
    private static Tensor inside(Tensor x, double lambd) {
        return x.ge(-lambd).mul(x.le(lambd));
    }
}
