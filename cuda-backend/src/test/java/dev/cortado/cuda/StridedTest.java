package dev.cortado.cuda;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layouts handed to the kernels number elements exactly as the views do. */
class StridedTest {
    /** Offsets of a view's elements in row-major order, straight from its shape and strides. */
    private static int[] expected(int[] shape, int[] strides, int offset) {
        int numel = 1;
        for (int s : shape) {
            numel *= s;
        }
        int[] out = new int[numel];
        for (int i = 0; i < numel; i++) {
            int off = offset;
            int rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                off += rest % shape[d] * strides[d];
                rest /= shape[d];
            }
            out[i] = off;
        }
        return out;
    }

    private static void same(int[] shape, int[] strides, int offset) {
        int[] packed = Strided.pack(shape, strides, offset);
        int numel = expected(shape, strides, offset).length;
        assertArrayEquals(expected(shape, strides, offset), Strided.offsets(packed, numel), Strided.describe(packed));
    }

    @Test
    void contiguousCollapsesToOneDimension() {
        int[] packed = Strided.pack(new int[] {2, 3, 4}, new int[] {12, 4, 1}, 5);
        assertEquals(1, packed[0]);
        assertEquals(24, packed[2]);
        same(new int[] {2, 3, 4}, new int[] {12, 4, 1}, 5);
    }

    @Test
    void viewsKeepTheirElementOrder() {
        same(new int[] {3, 4}, new int[] {1, 3}, 0);            // transposed
        same(new int[] {2, 3, 4}, new int[] {0, 4, 1}, 2);      // broadcast batch
        same(new int[] {4, 5}, new int[] {10, 2}, 1);           // sliced with step
        same(new int[] {3, 3}, new int[] {-3, 1}, 6);           // flipped rows
        same(new int[] {2, 1, 3, 1}, new int[] {3, 99, 1, 7}, 0); // size-1 dims with odd strides
        same(new int[] {}, new int[] {}, 4);                    // a scalar
        same(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, new int[] {512, 256, 128, 64, 32, 16, 8, 4, 2}, 0); // 9 dims that merge
    }

    /** The backend checks with fits() first and walks such a view in slices or copies it (the contracts' many-dims test); pack itself refuses. */
    @Test
    void moreThanEightUnmergeableDimensionsDoNotFit() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1000, 300, 90, 30, 11, 5, 3, 7, 1};
        assertFalse(Strided.fits(shape, strides));
        assertTrue(Strided.fits(Arrays.copyOf(shape, 8), Arrays.copyOf(strides, 8)));
        assertTrue(Strided.fits(shape, new int[] {512, 256, 128, 64, 32, 16, 8, 4, 2}), "9 dims that merge into one");
        assertTrue(Strided.fits(new int[] {2, 1, 2, 2, 2, 2, 2, 2, 2}, new int[] {1000, 7, 300, 90, 30, 11, 5, 3, 7}), "a size-1 dim counts for nothing");
        assertMessage(() -> Strided.pack(shape, strides, 0), "cuda", "(2, 2, 2, 2, 2, 2, 2, 2, 2)", "9 dimensions that cannot be merged",
                "at most 8");
    }
}
