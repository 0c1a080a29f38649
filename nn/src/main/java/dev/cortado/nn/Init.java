package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code torch.nn.init}: fills tensors in place (outside autograd) from the default generator, or
 * a given one, with PyTorch's formulas for fans and gains.
 * <pre>{@code Init.kaimingNormal_(conv.weight, 0, Init.FanMode.FAN_OUT, "relu");}</pre>
 */
public final class Init {
    /** Which fan a Kaiming init preserves the variance of: forward activations or backward gradients. */
    public enum FanMode {
        FAN_IN,
        FAN_OUT
    }

    private Init() {
    }

    /** {@code {fan_in, fan_out}}: sizes of dims 1 and 0 times the receptive field (the product of the remaining dims). */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions, got "
                    + Shapes.str(t.shape()));
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) {
            receptive *= t.size(d);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** {@code calculate_gain}: linear, conv*, sigmoid 1; tanh 5/3; relu √2; leaky_relu √(2 / (1 + a²)); selu 3/4. */
    public static double gain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2);
            case "leaky_relu" -> Math.sqrt(2 / (1 + param * param));
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("init: unsupported nonlinearity \"" + nonlinearity
                    + "\" (linear, conv2d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    private static Tensor fill(Tensor t, float[] values) {
        try (var g = GradMode.off()) {
            t.copy_(Tensor.fromArray(values, t.shape(), t.device()));
        }
        return t;
    }

    public static Tensor uniform_(Tensor t, double low, double high, Generator gen) {
        float[] u = gen.uniform(t.numel());
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (low + (high - low) * u[i]);
        }
        return fill(t, u);
    }

    public static Tensor uniform_(Tensor t, double low, double high) {
        return uniform_(t, low, high, Cortado.defaultGenerator());
    }

    public static Tensor normal_(Tensor t, double mean, double std, Generator gen) {
        float[] n = gen.normal(t.numel());
        for (int i = 0; i < n.length; i++) {
            n[i] = (float) (mean + std * n[i]);
        }
        return fill(t, n);
    }

    public static Tensor normal_(Tensor t, double mean, double std) {
        return normal_(t, mean, std, Cortado.defaultGenerator());
    }

    public static Tensor constant_(Tensor t, double value) {
        try (var g = GradMode.off()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) {
        return constant_(t, 0);
    }

    public static Tensor ones_(Tensor t) {
        return constant_(t, 1);
    }

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }

    /** U(-b, b) with b = gain · √(3 / fan); {@code a} is the leaky-ReLU slope used by the gain. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform_(t, -bound, bound);
    }

    /** N(0, std²) with std = gain / √fan. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        return normal_(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)));
    }

    /** U(-a, a) with a = gain · √(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        int[] f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -a, a);
    }

    /** N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        int[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    /**
     * The default of {@code nn.Linear} and {@code nn.Conv2d}: weight Kaiming-uniform with a = √5
     * (so U(-1/√fan_in, 1/√fan_in)), bias U(-1/√fan_in, 1/√fan_in).
     */
    static void pytorchDefault(Tensor weight, Tensor bias) {
        kaimingUniform_(weight, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            int fanIn = fans(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform_(bias, -bound, bound);
        }
    }
}
