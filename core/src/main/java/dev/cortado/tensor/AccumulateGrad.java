package dev.cortado.tensor;

import dev.cortado.autograd.Node;

/** The graph's sink for a leaf: adds incoming gradients into {@link Tensor#grad()}. */
final class AccumulateGrad extends Node {
    private final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad", new Node[0]);
        this.leaf = leaf;
    }

    /**
     * A first gradient that this backward pass made, that fills its whole storage in order and
     * that no other pending gradient shares becomes the leaf's grad as it is: a copy per
     * parameter and step fewer (on a GPU, one of the few dozen device calls of a small model's step).
     */
    @Override
    protected Tensor[] applySole(Tensor g) {
        if (leaf.grad == null && java.util.Arrays.equals(g.shape, leaf.shape) && g.isContiguous() && g.offset() == 0
                && g.storage().size() == g.numel() && g.dtype() == leaf.dtype() && BackwardPass.madeByThisPass(g.storage())) {
            leaf.grad = new Tensor(g.storage(), g.shape.clone(), g.strides().clone(), 0, g.version);
            leaf.ownsGrad = true;
            MemoryScope.keep(leaf.grad);
            return new Tensor[0];
        }
        return apply(g);
    }

    @Override
    protected Tensor[] apply(Tensor g) {
        if (!java.util.Arrays.equals(g.shape, leaf.shape)) {
            throw new IllegalStateException("AccumulateGrad: gradient shape " + Shapes.str(g.shape)
                    + " differs from leaf shape " + Shapes.str(leaf.shape));
        }
        if (leaf.grad == null) {
            // A fresh contiguous buffer: g may be a broadcast view or shared with another leaf.
            leaf.grad = ViewOps.clone(g);
            leaf.ownsGrad = true;
            MemoryScope.keep(leaf.grad);
        } else if (dev.cortado.autograd.GradMode.isEnabled()) {
            // A pass that records its gradients' graph (createGraph) makes a new sum, which that graph can reach.
            leaf.grad = leaf.grad.add(g);
            MemoryScope.keep(leaf.grad);
        } else {
            // In place, as PyTorch accumulates: whoever holds the gradient sees the sum, and a
            // device keeps one buffer per parameter instead of one per backward pass.
            InPlace.copy("AccumulateGrad", leaf.grad, leaf.grad.add(g));
        }
        return new Tensor[0];
    }
}
