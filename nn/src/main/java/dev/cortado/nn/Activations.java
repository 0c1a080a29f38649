package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.Tensor;

/**
 * GELU, ELU (and its SELU and CELU forms), SiLU, Softplus and Mish, each computed with PyTorch's float formula and given PyTorch's
 * backward formula: composing their gradients from the forward ops would overflow to NaN where
 * PyTorch's give 0 (SiLU's x / (1 + exp(-x)) far below zero).
 */
final class Activations {
    /** sqrt(2 / pi), the tanh approximation's scale. */
    private static final double TANH_BETA = Math.sqrt(2) * (2 / Math.sqrt(Math.PI)) * 0.5;
    private static final double TANH_KAPPA = 0.044715;

    private Activations() {
    }

    static Tensor gelu(Tensor x, String approximate) {
        Tensor out;
        if ("none".equals(approximate)) {
            return dev.cortado.tensor.FusedActivations.gelu(x);
        }
        if (!"tanh".equals(approximate)) {
            throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
        try (var off = GradMode.off()) {
            Tensor inner = x.add(x.mul(x).mul(x).mul(TANH_KAPPA)).mul(TANH_BETA);
            out = x.mul(0.5).mul(inner.tanh().add(1));
        }
        return CustomFunction.record(out, "GeluBackward0", new Tensor[] {x}, (g, n) -> {
            Tensor square = x.mul(x);
            Tensor t = x.add(square.mul(x).mul(TANH_KAPPA)).mul(TANH_BETA).tanh();
            Tensor left = t.add(1).mul(0.5);
            Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1)).mul(square.mul(3 * TANH_KAPPA).add(1).mul(TANH_BETA));
            return new Tensor[] {g.mul(left.add(right))};
        }, x);
    }

    /** alpha * (exp(x) - 1) at and below 0 (through expm1, exact near 0), x above. */
    static Tensor elu(Tensor x, double alpha) {
        return elu(x, alpha, 1, 1, "EluBackward0");
    }

    /** SELU: ELU with PyTorch's self-normalising alpha, times its scale. */
    static Tensor selu(Tensor x) {
        return elu(x, 1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1, "EluBackward0");
    }

    /** CELU: alpha (exp(x / alpha) - 1) at and below 0, x above; continuously differentiable at 0. */
    static Tensor celu(Tensor x, double alpha) {
        if (alpha == 0) {
            throw new IllegalArgumentException("celu: alpha must not be 0 (it divides the input)");
        }
        return elu(x, alpha, 1, 1 / alpha, "EluBackward0");
    }

    /** PyTorch's elu kernel: scale x above 0, scale alpha (exp(inputScale x) - 1) at and below. */
    private static Tensor elu(Tensor x, double alpha, double scale, double inputScale, String name) {
        Tensor out;
        Tensor zero = Tensor.zeros(new int[0], x.dtype(), x.device());
        try (var off = GradMode.off()) {
            Tensor negative = (inputScale == 1 ? x : x.mul(inputScale)).expm1().mul(alpha);
            out = Tensor.where(x.gt(zero), scale == 1 ? x : x.mul(scale), scale == 1 ? negative : negative.mul(scale));
        }
        return CustomFunction.record(out, name, new Tensor[] {x}, (g, n) -> new Tensor[] {
                Tensor.where(x.gt(zero), scale == 1 ? g : g.mul(scale), g.mul((inputScale == 1 ? x : x.mul(inputScale)).exp()
                        .mul(alpha * scale * inputScale)))}, x);
    }

    /** x tanh(softplus(x)), with PyTorch's backward tanh(sp) + x σ(x) (1 - tanh(sp)²). */
    static Tensor mish(Tensor x) {
        Tensor out;
        try (var off = GradMode.off()) {
            out = x.mul(x.exp().log1p().tanh());
        }
        return CustomFunction.record(out, "MishBackward0", new Tensor[] {x}, (g, n) -> {
            Tensor t = x.exp().log1p().tanh();
            return new Tensor[] {g.mul(t.add(x.mul(x.sigmoid()).mul(t.mul(t).rsub(1))))};
        }, x);
    }

    /** x / (1 + |x|), whose composed gradient is exactly 1 / (1 + |x|)². */
    static Tensor softsign(Tensor x) {
        return x.div(x.abs().add(1));
    }

    static Tensor silu(Tensor x) {
        return dev.cortado.tensor.FusedActivations.silu(x);
    }

    /** log(1 + exp(beta x)) / beta, or x where beta x exceeds threshold. */
    static Tensor softplus(Tensor x, double beta, double threshold) {
        Tensor out;
        try (var off = GradMode.off()) {
            Tensor bx = x.mul(beta);
            out = Tensor.where(bx.gt(threshold), x, bx.exp().log1p().div(beta));
        }
        return CustomFunction.record(out, "SoftplusBackward0", new Tensor[] {x}, (g, n) -> {
            Tensor bx = x.mul(beta);
            Tensor z = bx.exp();
            return new Tensor[] {Tensor.where(bx.gt(threshold), g, g.mul(z).div(z.add(1)))};
        }, x);
    }
}
