package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;

/**
 * GELU with the exact normal CDF, x·Φ(x), SiLU, x·σ(x), and hardswish as one kernel each way
 * ({@code UnaryOp.GELU}, {@code SILU}, {@code HARDSWISH} and their {@code BinaryOp} backwards)
 * rather than the four or five passes over memory forward and six to eleven backward that their
 * formulas take op by op; transformer, ConvNeXt, EfficientNet and MobileNetV3 blocks apply them to
 * their widest tensors.
 */
public final class FusedActivations {
    private static final double SQRT1_2 = Math.sqrt(0.5);
    /** 1 / √(2π), the normal density's scale. */
    private static final double PDF_SCALE = (2 / Math.sqrt(Math.PI)) * SQRT1_2 * 0.5;

    private FusedActivations() {
    }

    /** {@code F.gelu(x)}: (x / 2)·(1 + erf(x / √2)). */
    public static Tensor gelu(Tensor x) {
        return Pointwise.unary(UnaryOp.GELU, x, 0, 0);
    }

    /**
     * g·(Φ(x) + x·φ(x)). A pass that records its gradients' graph (second derivatives) gets the
     * formula from recorded ops; otherwise one kernel computes it.
     */
    static Tensor geluBackward(Tensor g, Tensor x) {
        if (GradMode.isEnabled()) {
            Tensor cdf = x.mul(SQRT1_2).erf().add(1).mul(0.5);
            Tensor pdf = x.mul(x).mul(-0.5).exp().mul(PDF_SCALE);
            return g.mul(cdf.add(x.mul(pdf)));
        }
        return Pointwise.binary(BinaryOp.GELU_BACKWARD, g, x);
    }

    /** {@code F.silu(x)}: x / (1 + e^(-x)), PyTorch's float steps. */
    public static Tensor silu(Tensor x) {
        return Pointwise.unary(UnaryOp.SILU, x, 0, 0);
    }

    /** g·σ(x)·(1 + x·(1 − σ(x))), recorded in a createGraph pass, else one kernel. */
    static Tensor siluBackward(Tensor g, Tensor x) {
        if (GradMode.isEnabled()) {
            Tensor s = x.sigmoid();
            return g.mul(s).mul(x.mul(s.rsub(1)).add(1));
        }
        return Pointwise.binary(BinaryOp.SILU_BACKWARD, g, x);
    }

    /** {@code F.hardswish(x)}: x·min(max(x + 3, 0), 6) / 6, PyTorch's float steps. */
    public static Tensor hardswish(Tensor x) {
        return Pointwise.unary(UnaryOp.HARDSWISH, x, 0, 0);
    }

    /**
     * 0 below -3, g·(x / 3 + ½) up to 3, g above: PyTorch's branches, its slope taken from the
     * middle piece at both kinks. Recorded in a createGraph pass, else one kernel.
     */
    static Tensor hardswishBackward(Tensor g, Tensor x) {
        if (GradMode.isEnabled()) {
            Tensor middle = x.div(3).add(0.5);
            Tensor zero = Tensor.zeros(new int[0], x.dtype(), x.device());
            Tensor slope = Tensor.where(x.lt(-3), zero, Tensor.where(x.le(3), middle, zero.add(1)));
            return g.mul(slope);
        }
        return Pointwise.binary(BinaryOp.HARDSWISH_BACKWARD, g, x);
    }
}
