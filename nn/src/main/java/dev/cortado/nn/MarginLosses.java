package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.function.BinaryOperator;

/**
 * The margin and embedding losses (soft margin, multi-label soft margin, hinge embedding, margin
 * ranking, cosine embedding, triplet margin, multi-class margin) with PyTorch's formulas; their
 * gradients are autograd's through the same ops. Targets of ±1 are used as given, as PyTorch does:
 * a hinge or cosine target that is neither contributes 0.
 */
final class MarginLosses {
    private MarginLosses() {
    }

    /** log(1 + exp(-y x)), for targets of ±1. */
    static Tensor softMargin(Tensor x, Tensor y, Reduction reduction) {
        Losses.sameShape("soft_margin_loss", x, y);
        return Losses.reduce(x.mul(y).neg().exp().log1p(), reduction);
    }

    /** Per sample, the mean over the C classes of -w (y log σ(x) + (1 - y) log σ(-x)), for targets in {0, 1}. */
    static Tensor multilabelSoftMargin(Tensor x, Tensor y, Tensor weight, Reduction reduction) {
        String op = "multilabel_soft_margin_loss";
        Losses.sameShape(op, x, y);
        if (x.dim() < 1) {
            throw new IllegalArgumentException(op + ": expected an input (N, C) or (C), got a 0-d tensor");
        }
        if (weight != null && !java.util.Arrays.equals(Shapes.broadcast(op, weight.shape(), x.shape()), x.shape())) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape()) + " must broadcast to the input's shape "
                    + Shapes.str(x.shape()));
        }
        Tensor loss = y.mul(F.logsigmoid(x)).add(y.rsub(1).mul(F.logsigmoid(x.neg()))).neg();
        if (weight != null) {
            loss = loss.mul(weight);
        }
        int classes = x.dim() - 1;
        return Losses.reduce(loss.sum(new int[] {classes}, false).div(x.size(classes)), reduction);
    }

    /** x where y is 1, max(0, margin - x) where y is -1. */
    static Tensor hingeEmbedding(Tensor x, Tensor y, double margin, Reduction reduction) {
        Losses.sameShape("hinge_embedding_loss", x, y);
        Tensor marginPart = Tensor.where(y.ne(1), x.rsub(margin).clampMin(0), x.newFull(new int[0], 0));
        Tensor selfPart = Tensor.where(y.ne(-1), x, x.newFull(new int[0], 0));
        return Losses.reduce(marginPart.add(selfPart), reduction);
    }

    /** max(0, -y (x1 - x2) + margin): y = 1 asks x1 to rank above x2 by the margin. */
    static Tensor marginRanking(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        Losses.sameShape("margin_ranking_loss", x1, x2);
        Losses.sameShape("margin_ranking_loss", x1, y);
        return Losses.reduce(y.neg().mul(x1.sub(x2)).add(margin).clampMin(0), reduction);
    }

    /**
     * 1 - cos(x1, x2) where y is 1, max(0, cos - margin) where y is -1; cos along the last dim of
     * (N, D) or (D) inputs, with PyTorch's 1e-12 added to each squared norm.
     */
    static Tensor cosineEmbedding(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        String op = "cosine_embedding_loss";
        Losses.sameShape(op, x1, x2);
        if (x1.dim() != 1 && x1.dim() != 2 || y.dim() != x1.dim() - 1 || y.dim() == 1 && y.size(0) != x1.size(0)) {
            throw new IllegalArgumentException(op + ": expected inputs (N, D) with a target (N), or (D) with a 0-d target, got "
                    + Shapes.str(x1.shape()) + " and target " + Shapes.str(y.shape()));
        }
        int[] last = {x1.dim() - 1};
        Tensor product = x1.mul(x2).sum(last, false);
        Tensor norms = x1.mul(x1).sum(last, false).add(1e-12).mul(x2.mul(x2).sum(last, false).add(1e-12)).sqrt();
        Tensor cos = product.div(norms);
        Tensor positive = Tensor.where(y.eq(1), cos.rsub(1), cos.newFull(new int[0], 0));
        Tensor negative = Tensor.where(y.eq(-1), cos.sub(margin).clampMin(0), cos.newFull(new int[0], 0));
        return Losses.reduce(positive.add(negative), reduction);
    }

    /**
     * max(0, margin + d(a, p) - d(a, n)) with pairwise p-norm distances; with swap, d(a, n) is
     * replaced by d(p, n) where that is smaller (the distance swap).
     */
    static Tensor tripletMargin(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps, boolean swap,
                                Reduction reduction) {
        String op = "triplet_margin_loss";
        if (anchor.dim() != positive.dim() || anchor.dim() != negative.dim()) {
            throw new IllegalArgumentException(op + ": the anchor, positive, and negative tensors are expected to have the same number of "
                    + "dimensions, but got: anchor " + anchor.dim() + "D, positive " + positive.dim() + "D, and negative " + negative.dim() + "D inputs");
        }
        if (anchor.dim() != 1 && anchor.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected (N, D) or (D) inputs, got " + Shapes.str(anchor.shape()));
        }
        if (!(margin > 0)) {
            throw new IllegalArgumentException(op + ": margin must be greater than 0, got " + margin);
        }
        Tensor toPositive = Distances.pairwiseDistance(anchor, positive, p, eps, false);
        Tensor toNegative = Distances.pairwiseDistance(anchor, negative, p, eps, false);
        if (swap) {
            toNegative = toNegative.minimum(Distances.pairwiseDistance(positive, negative, p, eps, false));
        }
        return Losses.reduce(toPositive.sub(toNegative).add(margin).clampMin(0), reduction);
    }

    /**
     * max(0, margin + d(a, p) − d(a, n)) with any distance d of two batches (PyTorch's
     * {@code triplet_margin_with_distance_loss}); null is {@code pairwise_distance}. With swap, d(a,
     * n) is the smaller of it and d(p, n).
     */
    static Tensor tripletMarginWithDistance(Tensor anchor, Tensor positive, Tensor negative, BinaryOperator<Tensor> distance, double margin,
                                            boolean swap, Reduction reduction) {
        String op = "triplet_margin_with_distance_loss";
        if (!(margin > 0)) {
            throw new IllegalArgumentException(op + ": margin must be greater than 0, got " + margin);
        }
        BinaryOperator<Tensor> d = distance != null ? distance : (x, y) -> Distances.pairwiseDistance(x, y, 2, 1e-6, false);
        Tensor toPositive = d.apply(anchor, positive);
        Tensor toNegative = d.apply(anchor, negative);
        if (swap) {
            toNegative = toNegative.minimum(d.apply(positive, negative));
        }
        return Losses.reduce(toPositive.sub(toNegative).add(margin).clampMin(0), reduction);
    }

    /**
     * Per sample, the sum over classes i other than the target y of w[y] max(0, margin - x[y] +
     * x[i])^p, divided by the number of classes; p is 1 or 2. Reads back the targets' range (one
     * synchronisation on a GPU) to name a class out of range.
     */
    static Tensor multiMargin(Tensor x, Tensor target, int p, double margin, Tensor weight, Reduction reduction) {
        String op = "multi_margin_loss";
        if (p != 1 && p != 2) {
            throw new IllegalArgumentException(op + ": only p == 1 and p == 2 are supported, got " + p);
        }
        if (x.dim() == 1 && target.dim() == 0) {
            Tensor loss = multiMargin(x.unsqueeze(0), target.unsqueeze(0), p, margin, weight, Reduction.NONE).squeeze(0);
            return reduction == Reduction.NONE ? loss : Losses.reduce(loss, reduction);
        }
        if (x.dim() != 2 || target.dim() != 1 || target.size(0) != x.size(0)) {
            throw new IllegalArgumentException(op + ": expected an input (N, C) with a target (N), or (C) with a 0-d target, got "
                    + Shapes.str(x.shape()) + " and " + Shapes.str(target.shape()));
        }
        if (target.dtype() != DType.INT64 || x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 input and int64 class indices, got " + x.dtype() + " and " + target.dtype());
        }
        int classes = x.size(1);
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException(op + ": weight " + Shapes.str(weight.shape()) + " must hold one value per class (" + classes + ")");
        }
        if (target.numel() > 0) {
            long lo;
            long hi;
            try (var off = GradMode.off()) {
                lo = (long) target.min().item();
                hi = (long) target.max().item();
            }
            if (lo < 0 || hi >= classes) {
                throw new IllegalArgumentException(op + ": target " + (lo < 0 ? lo : hi) + " is out of bounds for " + classes + " classes");
            }
        }
        Tensor column = target.unsqueeze(1);
        Tensor z = x.sub(x.gather(1, column)).add(margin).clampMin(0);
        Tensor isTarget = Tensor.arange(classes).to(x.device()).unsqueeze(0).eq(column);
        z = Tensor.where(isTarget, x.newFull(new int[0], 0), p == 2 ? z.square() : z);
        if (weight != null) {
            z = z.mul(weight.gather(0, target).unsqueeze(1));
        }
        return Losses.reduce(z.sum(new int[] {1}, false).div(classes), reduction);
    }
}
