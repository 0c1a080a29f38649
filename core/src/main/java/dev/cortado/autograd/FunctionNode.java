package dev.cortado.autograd;

import dev.cortado.tensor.Tensor;

/** A node whose backward formula is a lambda; the lambda's captures are its saved tensors. */
public final class FunctionNode extends Node {
    /** Backward formula: gradient of the output to gradients of the inputs. */
    @FunctionalInterface
    public interface Backward {
        /** {@code needs[i]} tells whether input i wants a gradient, so costly unused ones can be skipped. */
        Tensor[] apply(Tensor grad, boolean[] needs);
    }

    private Backward backward;

    public FunctionNode(String name, Node[] next, Backward backward) {
        super(name, next);
        this.backward = backward;
    }

    @Override
    protected Tensor[] apply(Tensor gradOutput) {
        Backward fn = backward;
        if (fn == null) {
            throw freed();
        }
        boolean[] needs = new boolean[next.length];
        for (int i = 0; i < needs.length; i++) {
            needs[i] = next[i] != null;
        }
        Tensor[] grads = fn.apply(gradOutput, needs);
        if (grads.length != next.length) {
            throw new IllegalStateException(name() + " returned " + grads.length + " gradients for " + next.length + " inputs");
        }
        return grads;
    }

    @Override
    protected void release() {
        backward = null;
    }
}
