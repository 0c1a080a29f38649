package dev.cortado.cpu;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reuse of released CPU arrays, the poisoned allocations tests run with, and use after release. */
class CpuPoolTest {
    private static final int BIG = CpuPool.MIN_ELEMENTS * 3 + 1;

    @Test
    void testsRunWithPoisonedAllocations() {
        assertTrue(CpuPool.POISON, "surefire sets -Dcortado.cpu.poison=true");
        CpuStorage s = (CpuStorage) new CpuBackend().allocate(Device.CPU, DType.FLOAT32, 5);
        for (float v : s.floats()) {
            assertTrue(Float.isNaN(v));
        }
        CpuStorage l = (CpuStorage) new CpuBackend().allocate(Device.CPU, DType.INT64, 5);
        assertEquals(Long.MIN_VALUE, l.longs()[4]);
    }

    @Test
    void aReleasedLargeArrayIsHandedOutAgain() {
        CpuBackend cpu = new CpuBackend();
        CpuStorage a = (CpuStorage) cpu.allocate(Device.CPU, DType.FLOAT32, BIG);
        float[] array = a.floats();
        assertTrue(a.releasable());
        a.release();
        a.release();
        CpuStorage b = (CpuStorage) cpu.allocate(Device.CPU, DType.FLOAT32, BIG);
        assertSame(array, b.floats(), "same size: the pooled array");
        CpuStorage small = (CpuStorage) cpu.allocate(Device.CPU, DType.FLOAT32, 100);
        assertFalse(small.releasable(), "small arrays are left to the garbage collector");
        CpuStorage copy = (CpuStorage) cpu.fromFloats(Device.CPU, new float[BIG]);
        assertFalse(copy.releasable(), "only storage the backend allocated uninitialised is pooled");
    }

    @Test
    void aTensorFromAClosedScopeSaysSo() {
        Tensor x = Tensor.ones(BIG);
        Tensor y;
        Tensor small;
        try (var scope = MemoryScope.open()) {
            y = x.mul(2);
            small = x.narrow(0, 0, 3).mul(2);
            assertEquals(1, scope.tracked(), "the large product only");
        }
        assertEquals(2f, small.toFloatArray()[0]);
        assertEquals(1f, x.toFloatArray()[BIG - 1]);
        assertMessage(() -> y.sum(), "was released: it was made inside a MemoryScope that has closed");
    }
}
