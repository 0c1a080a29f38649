package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.ReferenceBackend.isReleased;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryScopeTest extends OnReference {
    @Test
    void releasesWhatWasMadeInsideButNotWhatCameFromOutside() {
        Tensor outside = Tensor.ones(3);
        Tensor sum;
        Tensor view;
        try (MemoryScope scope = MemoryScope.open()) {
            sum = outside.add(outside);
            view = outside.reshape(3, 1);
            assertEquals(1, scope.tracked(), "only the sum's storage is new");
        }
        assertTrue(isReleased(sum));
        assertFalse(isReleased(outside));
        assertFalse(isReleased(view), "a view of outside storage is not the scope's to free");
    }

    @Test
    void keepsParametersGradientsAndKeptTensors() {
        Tensor w;
        Tensor kept;
        Tensor loss;
        try (MemoryScope scope = MemoryScope.open()) {
            w = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad_(true);
            loss = w.mul(w).sum();
            loss.backward();
            kept = MemoryScope.keep(w.mul(3));
        }
        assertFalse(isReleased(w));
        assertFalse(isReleased(w.grad()));
        assertFalse(isReleased(kept));
        assertTrue(isReleased(loss));
        assertArrayEquals(new double[] {2, 4}, w.grad().toDoubleArray(), 0);
    }

    @Test
    void aDroppedGradientIsFreedWithTheStepThatDroppedIt() {
        Tensor w = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad_(true);
        w.mul(w).sum().backward();
        Tensor first = w.grad();
        try (MemoryScope step = MemoryScope.open()) {
            w.zeroGrad();
            assertFalse(isReleased(first), "still usable until the step ends");
            w.mul(w).sum().backward();
        }
        assertTrue(isReleased(first));
        assertFalse(isReleased(w.grad()));
    }

    @Test
    void gradientsAccumulateInPlace() {
        Tensor w = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad_(true);
        w.sum().backward();
        Tensor g = w.grad();
        w.mul(2).sum().backward();
        assertSame(g, w.grad());
        assertArrayEquals(new double[] {3, 3}, g.toDoubleArray(), 0);
    }

    @Test
    void handOutMovesAResultToTheEnclosingScope() {
        Tensor result;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                result = inner.handOut(Tensor.ones(2).add(1));
            }
            assertFalse(isReleased(result));
            assertEquals(1, outer.tracked());
        }
        assertTrue(isReleased(result));
    }

    @Test
    void closeIsExplicitRelease() {
        Tensor t = Tensor.zeros(4);
        t.close();
        assertTrue(isReleased(t));
    }

    @Test
    void scopesCloseInReverseOrder() {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        try {
            assertMessage(outer::close, "MemoryScope.close", "reverse order");
        } finally {
            inner.close();
            outer.close();
        }
        assertMessage(() -> outer.handOut(Tensor.ones(1)), "MemoryScope.handOut", "already closed");
    }
}
