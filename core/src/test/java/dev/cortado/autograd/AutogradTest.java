package dev.cortado.autograd;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest extends OnReference {
    private static Tensor leaf(double... values) {
        return Tensor.fromArray(values, values.length).requiresGrad_(true);
    }

    @Test
    void chainRuleOnAHandWorkedExample() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x).add(x.mul(2)).sum(); // d/dx = 2x + 2
        y.backward();
        assertArrayEquals(new double[] {4, 6, 8}, x.grad().toDoubleArray(), 0);
        assertEquals("SumBackward0", y.gradFn().name());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = leaf(1, 2);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray(), 0);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = leaf(2);
        Tensor a = x.mul(3);
        a.mul(a).add(a).sum().backward(); // (3x)^2 + 3x -> 18x + 3
        assertEquals(39, x.grad().item(), 0);
    }

    /**
     * The views of one tensor add their gradients into one buffer the engine keeps, in place once
     * it owns it: overlapping views, strided slices, selects, a view of a view and a use that is
     * not a view must still sum to the gradient each would give alone, whichever arrives first.
     */
    @Test
    void gradientsOfManyViewsOfOneTensorAddUp() {
        Tensor x = Tensor.arange(0, 24, 1).reshape(4, 6).to(DType.FLOAT32).requiresGrad_(true);
        Tensor b = x.mul(1);
        Tensor y = b.select(0, 1).mul(2).sum()
                .add(b.narrow(0, 1, 2).mul(3).sum())
                .add(b.mul(11).sum())
                .add(b.slice(1, 0, 6, 2).mul(5).sum())
                .add(b.t().select(0, 5).mul(7).sum())
                .add(b.narrow(1, 2, 0).sum());
        Tensor kept = b.select(0, 3);
        Tensor[] seen = new Tensor[1];
        kept.registerHook(g -> {
            seen[0] = g;
            return null;
        });
        y.add(kept.mul(13).sum()).add(kept.sum()).backward();
        double[] expected = new double[24];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 6; c++) {
                expected[r * 6 + c] = 11 + (r == 1 ? 2 : 0) + (r == 1 || r == 2 ? 3 : 0) + (c % 2 == 0 ? 5 : 0) + (c == 5 ? 7 : 0)
                        + (r == 3 ? 14 : 0);
            }
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {14, 14, 14, 14, 14, 14}, seen[0].toDoubleArray(), 0, "a hook's gradient changed after it ran");
    }

    /**
     * A leaf takes its first gradient as the buffer backward made, without a copy, only where
     * nothing else can see that buffer: never the caller's seed, never one buffer for two leaves.
     */
    @Test
    void aLeafKeepsTheGradientBufferOnlyWhenNothingElseHoldsIt() {
        Tensor a = leaf(1, 2, 3, 4);
        Tensor b = leaf(5, 6, 7, 8);
        a.add(b).mul(3).backward(Tensor.ones(4), false); // MulBackward makes g·3; AddBackward sends that one buffer to both leaves
        assertArrayEquals(new double[] {3, 3, 3, 3}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {3, 3, 3, 3}, b.grad().toDoubleArray(), 0);
        assertTrue(a.grad().storage() != b.grad().storage(), "two leaves share one gradient buffer");
        try (var g = GradMode.off()) {
            a.grad().mul_(2);
        }
        assertArrayEquals(new double[] {3, 3, 3, 3}, b.grad().toDoubleArray(), 0);

        Tensor w = leaf(1, 2, 3, 4);
        Tensor seed = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 2);
        w.reshape(2, 2).backward(seed, false); // ViewBackward hands the caller's seed straight through
        assertTrue(w.grad().storage() != seed.storage(), "the leaf's grad is the caller's seed tensor");
        try (var g = GradMode.off()) {
            seed.fill_(0);
        }
        assertArrayEquals(new double[] {1, 2, 3, 4}, w.grad().toDoubleArray(), 0);

        Tensor v = leaf(1, 2);
        v.mul(2).sum().backward();
        Tensor first = v.grad();
        v.mul(5).sum().backward(); // accumulates in place into the kept buffer
        assertArrayEquals(new double[] {7, 7}, v.grad().toDoubleArray(), 0);
        assertTrue(first.storage() == v.grad().storage(), "accumulation keeps one buffer, as PyTorch does");
    }

    @Test
    void secondBackwardNeedsRetainGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward(Tensor.scalar(1), true);
        y.backward(Tensor.scalar(1), false);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void nonScalarBackwardTakesAGradient() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("(3,)"), e.getMessage());
        y.backward(Tensor.fromArray(new double[] {1, 10, 100}, 3), false);
        assertArrayEquals(new double[] {2, 20, 200}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void detachAndGradModeStopRecording() {
        Tensor x = leaf(1, 2);
        assertFalse(x.detach().mul(2).requiresGrad());
        try (var off = GradMode.off()) {
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            try (var on = GradMode.on()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void onlyNeededBranchesReceiveGradients() {
        Tensor x = leaf(1, 2);
        Tensor c = Tensor.fromArray(new double[] {5, 6}, 2);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertArrayEquals(new double[] {5, 6}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void aChainOfOneHundredThousandOpsBackPropagates() {
        Tensor x = leaf(1);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0);
        }
        y.sum().backward();
        assertEquals(1, x.grad().item(), 0);
    }

    @Test
    void leafRules() {
        Tensor x = leaf(1, 2);
        assertThrows(IllegalStateException.class, () -> x.mul(2).requiresGrad_(false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(3).requiresGrad_(true));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
        dev.cortado.testing.Inputs.assertMessage(() -> x.add_(x), "add_", "leaf", "GradMode.off()");
        dev.cortado.testing.Inputs.assertMessage(() -> x.setGrad(Tensor.ones(3)), "setGrad", "(3,)", "(2,)");
        dev.cortado.testing.Inputs.assertMessage(() -> x.setGrad(Tensor.arange(2)), "setGrad", "different type", "int64");
        dev.cortado.testing.Inputs.assertMessage(() -> x.setGrad(Tensor.ones(2).to(new dev.cortado.tensor.Device("reference", 1))),
                "setGrad", "reference:1");
        x.setGrad(Tensor.ones(2));
        assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray(), 0);
        x.setGrad(null);
        // Overwriting a computed tensor with random values is not recorded; GradMode.off around it would drop a gradient.
        dev.cortado.testing.Inputs.assertMessage(() -> x.mul(2).bernoulli_(0.5), "bernoulli_", "grad_fn MulBackward0", "does not record",
                "out of place");
        try (var off = GradMode.off()) {
            x.add_(Tensor.fromArray(new double[] {1, 1}, 2));
        }
        assertArrayEquals(new double[] {2, 3}, x.toDoubleArray(), 0);
        assertThrows(IllegalStateException.class, () -> Tensor.ones(2).backward(Tensor.ones(2), false));
    }

    @Test
    void castingToIntegersLeavesTheGraph() {
        Tensor x = leaf(1.5, 2.5);
        Tensor i = x.to(DType.INT64);
        assertFalse(i.requiresGrad());
        assertArrayEquals(new long[] {1, 2}, i.toLongArray());
    }

    @Test
    void gradFnNamesLookLikePyTorch() {
        Tensor x = leaf(1, 2);
        assertEquals("MulBackward0", x.mul(x).gradFn().name());
        assertEquals("MmBackward0", x.reshape(1, 2).matmul(x.reshape(2, 1)).gradFn().name());
        assertEquals("AccumulateGrad", x.mul(2).gradFn().nextFunctions().get(0).name());
    }
}
