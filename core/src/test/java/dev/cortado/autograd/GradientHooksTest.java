package dev.cortado.autograd;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensor gradient hooks, retained gradients of non-leaf tensors and {@link Gradients#grad}, with
 * the values PyTorch 1.13 prints for the same code.
 */
class GradientHooksTest extends OnReference {
    private static Tensor leaf(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad_(true);
    }

    private static void values(Tensor t, float... expected) {
        assertArrayEquals(expected, t.toFloatArray(), 0f);
    }

    @Test
    void aLeafHookChangesWhatIsAccumulatedUntilRemoved() {
        Tensor x = leaf(1, 2, 3);
        RemovableHandle h = x.registerHook(g -> g.add(1f));
        x.mul(x).sum().backward();
        values(x.grad(), 3, 5, 7);
        h.remove();
        x.setGrad(null);
        x.mul(x).sum().backward();
        values(x.grad(), 2, 4, 6);
    }

    @Test
    void aGradientAHookKeptIsNotAdoptedAsTheLeafsGradAndChangedByTheNextPass() {
        Tensor x = leaf(1, 2);
        List<Tensor> kept = new ArrayList<>();
        x.registerHook(g -> {
            kept.add(g);
            return null;
        });
        x.mul(2f).sum().backward();
        x.mul(3f).sum().backward();
        values(x.grad(), 5, 5);
        values(kept.get(0), 2, 2);
        values(kept.get(1), 3, 3);
    }

    @Test
    void retainedGradientsAreKeptSummedOverPassesAndOnlyForNonLeaves() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2f);
        assertNull(y.grad());
        y.retainGrad();
        assertTrue(y.retainsGrad());
        assertFalse(x.retainGrad().retainsGrad());
        Tensor s = y.mul(y).sum();
        s.backward(Tensor.scalar(1f), true);
        values(y.grad(), 4, 8);
        s.backward();
        values(y.grad(), 8, 16);
    }

    @Test
    void aHookOnANonLeafChangesTheGradientFlowingOnAndTheRetainedOneSeesItLast() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2f);
        y.retainGrad();
        y.registerHook(g -> g.mul(10f));
        y.mul(y).sum().backward();
        values(x.grad(), 80, 160, 240);
        // PyTorch 2 keeps the gradient after every hook; 1.13 ran retain_grad in registration
        // order and kept 4, 8, 12 here.
        values(y.grad(), 40, 80, 120);
    }

    @Test
    void anInPlaceUpdateMovesTheRetainedGradientAndLeavesHooksWithTheOldValue() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2f);
        y.retainGrad();
        List<Tensor> seenByOldHook = new ArrayList<>();
        y.registerHook(g -> {
            seenByOldHook.add(g);
            return null;
        });
        y.mul_(3f);
        y.sum().backward();
        values(y.grad(), 1, 1, 1);
        values(x.grad(), 6, 6, 6);
        values(seenByOldHook.get(0), 3, 3, 3);
    }

    @Test
    void aBaseUpdatedThroughAViewKeepsItsRetainedGradient() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2f);
        y.retainGrad();
        y.narrow(0, 0, 2).mul_(3f);
        y.mul(y).sum().backward();
        // The gradient of y's new value, as PyTorch 2 moves retain_grad to the base's CopySlices;
        // 1.13 left it on the old node and kept 36, 72, 12 (the old value's gradient).
        values(y.grad(), 12, 24, 12);
        values(x.grad(), 72, 144, 24);
    }

    @Test
    void aHookedReluIsNotFoldedIntoTheMaxPoolBackwardAfterIt() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, 0.5f, -1, 3, -4, -0.5f, -3}, 1, 1, 2, 4).requiresGrad_(true);
        Tensor r = x.relu();
        r.retainGrad();
        r.registerHook(g -> g.mul(2f));
        Tensor p = Pooling.maxPool2d(r, PoolOptions.of(2));
        p.mul(Tensor.fromArray(new float[] {2, 5}, 1, 1, 1, 2)).sum().backward();
        values(r.grad(), 0, 0, 10, 0, 4, 0, 0, 0);
        values(x.grad(), 0, 0, 10, 0, 4, 0, 0, 0);
    }

    @Test
    void gradWithRespectToAReluBeforeAMaxPoolIsNotFoldedAway() {
        Tensor x = Tensor.fromArray(new float[] {1, -2, 0.5f, -1, 3, -4, -0.5f, -3}, 1, 1, 2, 4).requiresGrad_(true);
        Tensor r = x.relu();
        Tensor p = Pooling.maxPool2d(r, PoolOptions.of(2));
        Tensor[] g = Gradients.grad(p.mul(Tensor.fromArray(new float[] {2, 5}, 1, 1, 1, 2)).sum(), r, x);
        values(g[0], 0, 0, 5, 0, 2, 0, 0, 0);
        values(g[1], 0, 0, 5, 0, 2, 0, 0, 0);
    }

    @Test
    void aHookMayNotChangeTheGradientsShape() {
        Tensor x = leaf(1, 1);
        Tensor y = x.mul(2f);
        y.registerHook(g -> Tensor.ones(3));
        assertMessage(() -> y.sum().backward(), "MulBackward0", "shape (3,)", "shape (2,)");
    }

    @Test
    void hooksAndRetainingNeedATensorThatRequiresGrad() {
        assertMessage(() -> Tensor.ones(2).registerHook(g -> g), "registerHook: cannot register a hook on a tensor that doesn't require gradient");
        assertMessage(() -> Tensor.ones(2).retainGrad(), "retainGrad: can't retain the gradient of a tensor that does not require grad");
    }

    @Test
    void gradReturnsGradientsWithoutAccumulatingAnyAndRetainsWhatWasRetained() {
        Tensor x = leaf(1, 2, 3);
        Tensor w = leaf(1, 1, 1);
        Tensor y = x.mul(2f).mul(w);
        y.retainGrad();
        Tensor z = y.mul(y).sum();
        values(Gradients.grad(z, x)[0], 8, 16, 24);
        assertNull(x.grad());
        assertNull(w.grad());
        values(y.grad(), 4, 8, 12);
    }

    @Test
    void gradWithRespectToAnIntermediateAndALeafAndOfSeveralOutputs() {
        Tensor a = leaf(1, 1);
        Tensor y = a.mul(2f);
        Tensor[] g = Gradients.grad(y.mul(y).sum(), y, a);
        values(g[0], 4, 4);
        values(g[1], 8, 8);
        Tensor[] sum = Gradients.grad(List.of(a.mul(2f).sum(), a.mul(3f).sum()), List.of(a), null, false, false);
        values(sum[0], 5, 5);
        Tensor[] seeded = Gradients.grad(List.of(a.mul(2f)), List.of(a), List.of(Tensor.fromArray(new float[] {1, -3}, 2)), false, false);
        values(seeded[0], 2, -6);
    }

    @Test
    void gradRunsHooksAndCanKeepTheGraphForABackwardPass() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3f);
        y.registerHook(g -> g.neg());
        Tensor s = y.sum();
        values(Gradients.grad(List.of(s), List.of(x), null, true, false)[0], -3, -3);
        s.backward();
        values(x.grad(), -3, -3);
        assertMessage(() -> {
            Tensor t = x.mul(2f).sum();
            Gradients.grad(t, x);
            t.backward();
        }, "backward through the graph a second time");
    }

    @Test
    void unusedInputsAreAnErrorUnlessAllowed() {
        Tensor a = leaf(1, 1);
        Tensor b = leaf(1, 1);
        assertMessage(() -> Gradients.grad(a.mul(2f).sum(), a, b), "grad: input 1 (shape (2,)) was not used", "allowUnused=true");
        Tensor[] g = Gradients.grad(List.of(a.mul(2f).sum()), List.of(a, b), null, false, true);
        values(g[0], 2, 2);
        assertNull(g[1]);
    }

    @Test
    void gradNamesWhatIsWrongWithItsArguments() {
        Tensor a = leaf(1, 1);
        assertMessage(() -> Gradients.grad(a.mul(2f).sum(), Tensor.ones(2)), "grad: input 0 does not require grad");
        assertMessage(() -> Gradients.grad(Tensor.ones(1), a), "grad: output 0 does not require grad");
        assertMessage(() -> Gradients.grad(a.mul(2f), a), "grad: a gradient can be created implicitly only for outputs of one element",
                "shape (2,)");
        assertMessage(() -> Gradients.grad(List.of(a.mul(2f)), List.of(a), List.of(Tensor.ones(3)), false, false),
                "grad: gradOutputs[0] has shape (3,) but output 0 has shape (2,)");
        assertMessage(() -> Gradients.grad(List.of(a.sum()), List.of(a), List.of(), false, false), "grad: 0 gradOutputs given for 1 outputs");
        assertMessage(() -> Gradients.grad(List.of(), List.of(a), null, false, false), "grad: no outputs given");
    }
}
