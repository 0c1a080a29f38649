package dev.cortado.tensor;

import dev.cortado.autograd.Node;

/** The graph's sink for a leaf: adds incoming gradients into {@link Tensor#grad()}. */
final class AccumulateGrad extends Node {
    private final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad", new Node[0]);
        this.leaf = leaf;
    }

    @Override
    protected Tensor[] apply(Tensor g) {
        if (!java.util.Arrays.equals(g.shape, leaf.shape)) {
            throw new IllegalStateException("AccumulateGrad: gradient shape " + Shapes.str(g.shape)
                    + " differs from leaf shape " + Shapes.str(leaf.shape));
        }
        // A fresh contiguous buffer: g may be a broadcast view or shared with another leaf.
        leaf.grad = leaf.grad == null ? ViewOps.clone(g) : leaf.grad.add(g);
        return new Tensor[0];
    }
}
