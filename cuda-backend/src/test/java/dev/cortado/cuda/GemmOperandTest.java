package dev.cortado.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which matrix views cuBLAS reads in place, and with what leading dimension. */
class GemmOperandTest {
    @Test
    void rowMajorAndTransposedViewsNeedNoCopy() {
        assertEquals(new GemmOperand(true, 5), GemmOperand.of(3, 5, 5, 1));
        assertEquals(new GemmOperand(true, 8), GemmOperand.of(3, 5, 8, 1), "a column slice keeps the parent's row stride");
        assertEquals(new GemmOperand(false, 3), GemmOperand.of(3, 5, 1, 3), "a transposed view is read through the transpose flag");
    }

    @Test
    void vectorsPickTheDenseLayout() {
        assertEquals(new GemmOperand(true, 1), GemmOperand.of(4, 1, 1, 77));
        assertEquals(new GemmOperand(true, 6), GemmOperand.of(1, 6, 99, 1));
    }

    @Test
    void stridedOrOverlappingViewsAreGathered() {
        assertNull(GemmOperand.of(3, 5, 10, 2));
        assertNull(GemmOperand.of(3, 5, 2, 1), "rows that overlap");
        assertNull(GemmOperand.of(3, 5, 0, 1), "a broadcast row");
    }

    @Test
    void batchDimsCollapseIntoOneStrideOrAreGathered() {
        assertEquals(20L, GemmOperand.batchStride(new int[] {2, 3}, new int[] {60, 20}));
        assertEquals(0L, GemmOperand.batchStride(new int[] {2, 3}, new int[] {0, 0}));
        assertEquals(0L, GemmOperand.batchStride(new int[] {}, new int[] {}));
        assertEquals(20L, GemmOperand.batchStride(new int[] {1, 3}, new int[] {7, 20}));
        assertNull(GemmOperand.batchStride(new int[] {2, 3}, new int[] {100, 20}));
    }
}
