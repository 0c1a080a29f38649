package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}: weight ones, bias zeros. */
public final class LayerNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Shapes.numel(normalizedShape) <= 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must have at least one dim and every size positive, got "
                    + Shapes.str(normalizedShape));
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(F.layerNorm(x, normalizedShape, weight, bias, eps));
    }

    @Override
    protected String extraRepr() {
        return Shapes.str(normalizedShape) + ", eps=" + Py.floatRepr(eps) + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
