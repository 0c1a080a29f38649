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
        try (var g = GradMode.off()) {
            return t.uniform_(low, high, gen);
        }
    }

    public static Tensor uniform_(Tensor t, double low, double high) {
        return uniform_(t, low, high, Cortado.defaultGenerator());
    }

    public static Tensor normal_(Tensor t, double mean, double std, Generator gen) {
        try (var g = GradMode.off()) {
            return t.normal_(mean, std, gen);
        }
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

    /** U(-b, b) with b = √3 · gain / √fan; {@code a} is the leaky-ReLU slope used by the gain. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        // PyTorch's steps, so that the bound and every draw are its bits.
        double std = gain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(t, -bound, bound);
    }

    /** N(0, std²) with std = gain / √fan. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        return normal_(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)));
    }

    /** U(-a, a) with a = √3 · gain · √(2 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        int[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a);
    }

    /**
     * {@code orthogonal_(tensor, gain)}: the (rows, rest) flattening of t set to gain times an
     * orthogonal matrix (orthonormal rows or columns, whichever are fewer), the Q of a normal
     * matrix's QR decomposition with R's diagonal made positive, as PyTorch draws it (the draws
     * themselves come from Cortado's generator). Recurrent weights often start this way.
     */
    public static Tensor orthogonal_(Tensor t, double gain) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("orthogonal_: only tensors with 2 or more dimensions are supported, got " + Shapes.str(t.shape()));
        }
        if (t.numel() == 0) {
            return t;
        }
        int rows = t.size(0);
        int cols = t.numel() / rows;
        boolean wide = rows < cols;
        int m = wide ? cols : rows;
        int n = wide ? rows : cols;
        float[] draws = Cortado.defaultGenerator().normal(rows * cols);
        // Columns of an m×n matrix (m ≥ n), orthonormalised by modified Gram-Schmidt, twice for
        // accuracy: the Q of the QR decomposition whose R has a positive diagonal.
        double[][] q = new double[n][m];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                q[j][i] = draws[wide ? j * m + i : i * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += q[k][i] * q[j][i];
                    }
                    for (int i = 0; i < m; i++) {
                        q[j][i] -= dot * q[k][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[j][i] /= norm;
            }
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (float) (gain * (wide ? q[r][c] : q[c][r]));
            }
        }
        return fill(t, out);
    }

    /** N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        int[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    /**
     * N(mean, std²) cut to [a, b], as {@code trunc_normal_}, by PyTorch's inverse-CDF steps: a
     * uniform draw between the bounds' CDF values (mapped to [-1, 1]), its inverse erf, scaled,
     * shifted and clamped, so that it consumes PyTorch's draws. The bounds must leave it a
     * reasonable chance (at least 1e-6) of landing inside.
     */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b, Generator gen) {
        if (!(std > 0) || !(a < b)) {
            throw new IllegalArgumentException("trunc_normal_: std must be positive and a below b, got std=" + std + ", a=" + a + ", b=" + b);
        }
        double low = normCdf((a - mean) / std);
        double high = normCdf((b - mean) / std);
        if (!(high - low >= 1e-6)) {
            throw new IllegalArgumentException("trunc_normal_: [" + a + ", " + b + "] holds a probability of " + (high - low) + " under N(" + mean
                    + ", " + std + "²); move the bounds towards the mean");
        }
        try (var g = GradMode.off()) {
            Tensor u = Tensor.zeros(t.shape()).uniform_(2 * low - 1, 2 * high - 1, gen);
            return t.copy_(u.erfinv().mul(std * Math.sqrt(2)).add(mean).clamp(a, b).to(t.device()));
        }
    }

    private static double normCdf(double x) {
        return (1 + dev.cortado.backend.SpecialFunctions.erf(x / Math.sqrt(2))) / 2;
    }

    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b) {
        return truncNormal_(t, mean, std, a, b, Cortado.defaultGenerator());
    }

    /** The identity matrix on a 2-d tensor (ones on the diagonal of a rectangle), as {@code eye_}. */
    public static Tensor eye_(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("eye_: only 2-d tensors are supported, got " + dev.cortado.tensor.Shapes.str(t.shape()));
        }
        float[] v = new float[t.numel()];
        int cols = t.size(1);
        for (int i = 0; i < Math.min(t.size(0), cols); i++) {
            v[i * cols + i] = 1;
        }
        return fill(t, v);
    }

    /**
     * A convolution weight (out, in, k...) that passes its input through, as {@code dirac_}: within
     * each of the groups, output channel d gets a 1 at input channel d and the kernel's centre, for
     * as many channels as the group has on both sides; zeros elsewhere.
     */
    public static Tensor dirac_(Tensor t, int groups) {
        if (t.dim() < 3 || t.dim() > 5) {
            throw new IllegalArgumentException("dirac_: only 3, 4 and 5-d tensors are supported, got " + dev.cortado.tensor.Shapes.str(t.shape()));
        }
        if (groups < 1 || t.size(0) % groups != 0) {
            throw new IllegalArgumentException("dirac_: dim 0 (" + t.size(0) + ") must be divisible by groups (" + groups + ")");
        }
        int[] shape = t.shape();
        if (t.numel() == 0) {
            return t;
        }
        int outPerGroup = shape[0] / groups;
        int kernel = 1;
        int centre = 0;
        for (int d = 2; d < shape.length; d++) {
            kernel *= shape[d];
            centre = centre * shape[d] + shape[d] / 2;
        }
        float[] v = new float[t.numel()];
        for (int g = 0; g < groups; g++) {
            for (int d = 0; d < Math.min(outPerGroup, shape[1]); d++) {
                v[((g * outPerGroup + d) * shape[1] + d) * kernel + centre] = 1;
            }
        }
        return fill(t, v);
    }

    public static Tensor dirac_(Tensor t) {
        return dirac_(t, 1);
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
