package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewsTest extends OnReference {
    private final Tensor x = Tensor.arange(0.0, 24.0, 1.0).reshape(2, 3, 4);

    @Test
    void viewsShareStorage() {
        Tensor v = x.reshape(6, 4);
        assertSame(x.storage(), v.storage());
        assertSame(x.storage(), x.transpose(0, 2).storage());
        assertSame(x.storage(), x.narrow(1, 1, 2).storage());
        assertSame(x.storage(), x.unsqueeze(0).expand(5, 2, 3, 4).storage());
        assertSame(x.storage(), x.flip(0).storage());
        Tensor y = x.clone();
        y.select(0, 0).fill_(-1);
        Tensor w = y.view(24);
        assertArrayEquals(new double[] {-1, -1}, w.narrow(0, 0, 2).toDoubleArray(), 0);
    }

    @Test
    void shapesAndStrides() {
        assertArrayEquals(new int[] {12, 4, 1}, x.strides());
        assertArrayEquals(new int[] {4, 3, 2}, x.permute(2, 1, 0).shape());
        assertArrayEquals(new int[] {1, 4, 12}, x.permute(2, 1, 0).strides());
        assertArrayEquals(new int[] {2, 12}, x.flatten(1, 2).shape());
        assertArrayEquals(new int[] {24}, x.flatten().shape());
        assertArrayEquals(new int[] {2, 1, 3, 4}, x.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3, 4, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {2, 3, 4}, x.unsqueeze(1).squeeze().shape());
        assertArrayEquals(new int[] {2, 3, 4}, x.squeeze(0).shape(), "squeezing a dim of size != 1 is a no-op");
        assertArrayEquals(new int[] {3, 8}, x.reshape(3, -1).shape());
        assertArrayEquals(new int[] {3, 4}, x.select(0, -1).shape());
        assertArrayEquals(new int[] {2, 3, 2}, x.slice(2, 1, 100, 2).shape());
        assertArrayEquals(new int[] {4, 2, 3, 4}, x.expand(4, -1, -1, -1).shape());
    }

    @Test
    void valuesThroughViews() {
        assertArrayEquals(new double[] {20, 21, 22, 23}, x.select(0, 1).select(0, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {3, 2, 1, 0}, x.select(0, 0).select(0, 0).flip(0).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 3, 5, 7, 9, 11}, x.select(0, 0).slice(1, 1, 4, 2).toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9}, x.select(0, 0).t().narrow(0, 0, 2).toDoubleArray(), 0);
        Tensor t = x.transpose(1, 2);
        assertFalse(t.isContiguous());
        assertTrue(t.contiguous().isContiguous());
        assertArrayEquals(t.toDoubleArray(), t.contiguous().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0, 4, 8, 1}, t.reshape(-1).narrow(0, 0, 4).toDoubleArray(), 0);
    }

    /** The layout both backends' kernels walk: size-1 dims gone, neighbours that step as one merged, transposed ones kept apart. */
    @Test
    void mergeDimsKeepsTheRowMajorOrderInFewerDims() {
        int[] sizes = new int[4];
        int[] strides = new int[4];
        assertEquals(1, Shapes.mergeDims(new int[] {2, 3, 1, 4}, new int[] {12, 4, 99, 1}, sizes, strides));
        assertArrayEquals(new int[] {24, 1}, new int[] {sizes[0], strides[0]});
        assertEquals(2, Shapes.mergeDims(new int[] {4, 1, 6}, new int[] {1, 3, 4}, sizes, strides), "a transposed matrix stays two dims");
        assertArrayEquals(new int[] {4, 6, 1, 4}, new int[] {sizes[0], sizes[1], strides[0], strides[1]});
        assertEquals(0, Shapes.mergeDims(new int[] {1, 1}, new int[] {5, 7}, sizes, strides), "one element: no dims");
    }

    /** As in PyTorch: nothing can be out of place, so backends that take only contiguous tensors take these. */
    @Test
    void aTensorWithoutElementsIsContiguousWhateverItsStrides() {
        Tensor empty = Tensor.zeros(2, 0, 4, 4);
        assertArrayEquals(new int[] {16, 16, 4, 1}, empty.strides(), "size-0 dims count as 1 in the strides");
        assertTrue(empty.isContiguous());
        assertTrue(empty.transpose(0, 3).isContiguous());
        assertSame(empty, empty.contiguous());
        assertArrayEquals(new int[] {4, 0, 8}, empty.transpose(0, 3).reshape(4, 0, 8).shape());
        assertEquals(0, empty.permute(3, 1, 0, 2).view(-1, 4).size(0));
    }

    @Test
    void viewRefusesWhatOnlyACopyCanDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.transpose(1, 2).view(24));
        assertTrue(e.getMessage().startsWith("view:") && e.getMessage().contains("reshape"), e.getMessage());
    }

    @Test
    void errorsNameTheOpAndShape() {
        assertMessage(() -> x.reshape(5, -1), "reshape", "size 24");
        assertMessage(() -> x.reshape(-1, -1), "reshape", "only one dimension");
        assertMessage(() -> x.permute(0, 0, 1), "permute", "repeat");
        assertMessage(() -> x.permute(0, 1), "permute", "(2, 3, 4)");
        assertMessage(() -> x.narrow(2, 3, 2), "narrow", "size 4");
        assertMessage(() -> x.select(1, 3), "select", "size 3");
        assertMessage(() -> x.expand(2, 5, 4), "expand", "(2, 3, 4)");
        assertMessage(() -> x.transpose(0, 3), "transpose", "[-3, 2]");
        assertMessage(() -> x.slice(0, 0, 1, 0), "slice", "step");
        assertMessage(() -> x.flatten(2, 1), "flatten", "(2, 3, 4)");
        assertMessage(() -> x.t(), "t:", "(2, 3, 4)");
    }
}
