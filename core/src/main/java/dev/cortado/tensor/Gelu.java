package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;
import dev.cortado.backend.BinaryOp;
import dev.cortado.backend.UnaryOp;

/**
 * GELU with the exact normal CDF, x·Φ(x), as one kernel each way ({@code UnaryOp.GELU},
 * {@code BinaryOp.GELU_BACKWARD}) rather than the five and eleven passes over memory its
 * formula takes op by op; transformer and ConvNeXt blocks apply it to their widest tensors.
 */
public final class Gelu {
    private static final double SQRT1_2 = Math.sqrt(0.5);
    /** 1 / √(2π), the normal density's scale. */
    private static final double PDF_SCALE = (2 / Math.sqrt(Math.PI)) * SQRT1_2 * 0.5;

    private Gelu() {
    }

    /** {@code F.gelu(x)}: (x / 2)·(1 + erf(x / √2)). */
    public static Tensor gelu(Tensor x) {
        return Pointwise.unary(UnaryOp.GELU, x, 0, 0);
    }

    /**
     * g·(Φ(x) + x·φ(x)). A pass that records its gradients' graph (second derivatives) gets the
     * formula from recorded ops; otherwise one kernel computes it.
     */
    static Tensor backward(Tensor g, Tensor x) {
        if (GradMode.isEnabled()) {
            Tensor cdf = x.mul(SQRT1_2).erf().add(1).mul(0.5);
            Tensor pdf = x.mul(x).mul(-0.5).exp().mul(PDF_SCALE);
            return g.mul(cdf.add(x.mul(pdf)));
        }
        return Pointwise.binary(BinaryOp.GELU_BACKWARD, g, x);
    }
}
