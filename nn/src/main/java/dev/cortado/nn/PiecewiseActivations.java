package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Tensor;

/**
 * Hardtanh, ReLU6, Hardsigmoid and Hardswish, with PyTorch's gradients at the kinks: hardtanh's
 * and relu6's are 0 at their bounds (a clamp's would be 1), hardsigmoid's 0 at ±3, and
 * hardswish's taken from the middle piece at both -3 and 3.
 */
final class PiecewiseActivations {
    private PiecewiseActivations() {
    }

    static Tensor hardtanh(Tensor x, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("hardtanh: min_val cannot be greater than max_val, got " + min + " and " + max);
        }
        Tensor out;
        try (var off = GradMode.off()) {
            out = x.clamp(min, max);
        }
        return CustomFunction.record(out, "HardtanhBackward0", new Tensor[] {x}, (g, n) -> new Tensor[] {g.mul(x.gt(min).mul(x.lt(max)))}, x);
    }

    static Tensor hardsigmoid(Tensor x) {
        Tensor out;
        try (var off = GradMode.off()) {
            out = x.add(3).clamp(0, 6).div(6);
        }
        return CustomFunction.record(out, "HardsigmoidBackward0", new Tensor[] {x},
                (g, n) -> new Tensor[] {g.mul(x.gt(-3).mul(x.lt(3))).div(6)}, x);
    }

    /** x (x + 3) / 6 between -3 and 3, 0 below, x above. */
    static Tensor hardswish(Tensor x) {
        return dev.cortado.tensor.FusedActivations.hardswish(x);
    }
}
