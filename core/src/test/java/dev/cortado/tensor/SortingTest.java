package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** sort, argsort and topk, with the values PyTorch 1.13 prints for the same calls. */
class SortingTest extends OnReference {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** torch.tensor([3., nan, -0., 1., 0., 3., -inf, nan]) */
    private static Tensor x() {
        return Tensor.fromArray(new double[] {3, NAN, -0.0, 1, 0, 3, -INF, NAN});
    }

    private static void values(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 0);
    }

    @Test
    void sortIsStableWithNaNAboveEveryNumber() {
        // torch.sort(x, stable=True)
        ValuesIndices up = x().sort();
        values(new double[] {-INF, -0.0, 0, 1, 3, 3, NAN, NAN}, up.values());
        assertArrayEquals(new long[] {6, 2, 4, 3, 0, 5, 1, 7}, up.indices().toLongArray());
        // torch.sort(x, descending=True, stable=True)
        ValuesIndices down = x().sort(0, true);
        values(new double[] {NAN, NAN, 3, 3, 1, -0.0, 0, -INF}, down.values());
        assertArrayEquals(new long[] {1, 7, 0, 5, 3, 2, 4, 6}, down.indices().toLongArray());
        assertArrayEquals(new long[] {1, 7, 0, 5, 3, 2, 4, 6}, x().argsort(0, true).toLongArray());
    }

    @Test
    void topkIsTheSortedOrdersFirstK() {
        ValuesIndices largest = x().topk(3);
        values(new double[] {NAN, NAN, 3}, largest.values());
        // PyTorch's topk gives [1, 7, 5]: the order of equal values is its own; here it is the index order.
        assertArrayEquals(new long[] {1, 7, 0}, largest.indices().toLongArray());
        ValuesIndices smallest = x().topk(3, 0, false);
        values(new double[] {-INF, -0.0, 0}, smallest.values()); // PyTorch: [-inf, 0., -0.] from indices [6, 4, 2]
        assertArrayEquals(new long[] {6, 2, 4}, smallest.indices().toLongArray());
        assertArrayEquals(new int[] {2, 0}, Tensor.ones(2, 0).topk(0).values().shape());
        assertArrayEquals(new int[] {2, 0}, Tensor.ones(2, 3).topk(0).indices().shape());
        ValuesIndices scalar = Tensor.scalar(5).topk(1);
        assertEquals(5, scalar.values().item());
        assertArrayEquals(new int[0], scalar.indices().shape());
        assertArrayEquals(new long[] {0}, Tensor.scalar(5).argsort(0, true).toLongArray());
        assertArrayEquals(new int[0], Tensor.scalar(5).argsort(-1, false).shape());
    }

    @Test
    void int64SortsAndArgsortsAlongAnyDim() {
        Tensor t = Tensor.tensor(new long[][] {{3, 1, 2}, {0, 0, -1}});
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1}, t.argsort(0, true).toLongArray());
        ValuesIndices rows = t.sort(1, false);
        assertEquals(DType.INT64, rows.values().dtype());
        assertArrayEquals(new long[] {1, 2, 3, -1, 0, 0}, rows.values().toLongArray());
        assertArrayEquals(new long[] {1, 2, 0, 2, 0, 1}, rows.indices().toLongArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE},
                Tensor.tensor(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1}).sort().values().toLongArray());
    }

    @Test
    void gradientsGoBackToWhereTheValuesCameFrom() {
        Tensor a = Tensor.tensor(new double[][] {{1, 5, 3}, {2, 2, 0}}).requiresGrad_(true);
        ValuesIndices top = a.topk(2);
        assertEquals("TopkBackward0", top.values().gradFn().name());
        assertArrayEquals(new long[] {1, 2, 0, 1}, top.indices().toLongArray());
        top.values().mul(Tensor.tensor(new double[][] {{1, 10}, {100, 1000}})).sum().backward();
        values(new double[] {0, 1, 10, 100, 1000, 0}, a.grad());
        Tensor b = Tensor.tensor(new double[][] {{1, 5, 3}, {2, 2, 0}}).requiresGrad_(true);
        Tensor sorted = b.sort(0, false).values();
        assertEquals("SortBackward0", sorted.gradFn().name());
        sorted.mul(Tensor.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}})).sum().backward();
        values(new double[] {1, 5, 6, 4, 2, 3}, b.grad());
    }

    @Test
    void errors() {
        assertMessage(() -> x().topk(9), "topk: selected index k out of range: k = 9 for dimension 0 of size 8");
        assertMessage(() -> x().topk(-1), "topk: selected index k out of range: k = -1");
        assertThrows(IndexOutOfBoundsException.class, () -> x().topk(9));
        assertMessage(() -> Tensor.ones(2, 3).topk(2, 2, true), "topk");
        assertMessage(() -> Tensor.ones(2, 3).sort(-3, false), "sort");
        assertMessage(() -> Tensor.scalar(5).topk(2), "topk: selected index k out of range: k = 2 for a 0-dim tensor");
    }
}
