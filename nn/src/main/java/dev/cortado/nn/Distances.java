package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code F.normalize}, {@code F.cosine_similarity} and {@code F.pairwise_distance}, with PyTorch's formulas and eps handling. */
final class Distances {
    private Distances() {
    }

    /** x / max(‖x‖_p, eps) along dim. */
    static Tensor normalize(Tensor x, double p, int dim, double eps) {
        return x.div(x.norm(p, new int[] {dim}, true).clampMin(eps));
    }

    /**
     * Σ (x1 / ‖x1‖)(x2 / ‖x2‖) along dim, each norm raised to eps where smaller. As in PyTorch, the
     * raise is invisible to autograd (PyTorch clamps in place under no_grad), so a zero vector still
     * gets the gradient x2 / (eps ‖x2‖).
     */
    static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        Shapes.broadcast("cosine_similarity", x1.shape(), x2.shape());
        return x1.div(floored(x1.norm(2, new int[] {dim}, true), eps)).mul(x2.div(floored(x2.norm(2, new int[] {dim}, true), eps)))
                .sum(new int[] {dim}, false);
    }

    /** n with values below eps raised to eps, and gradient 1 everywhere. */
    private static Tensor floored(Tensor n, double eps) {
        Tensor raise = n.detach().clampMin(eps).sub(n.detach());
        return n.add(raise);
    }

    /** ‖x1 - x2 + eps‖_p along the last dim (eps keeps the gradient finite where the two are equal). */
    static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        Shapes.broadcast("pairwise_distance", x1.shape(), x2.shape());
        Tensor d = x1.sub(x2).add(eps);
        return d.norm(p, new int[] {Math.max(d.dim() - 1, 0)}, keepdim);
    }
}
