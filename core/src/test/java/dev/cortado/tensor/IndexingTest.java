package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gather, scatterAdd, indexSelect and maskedFill, with the values PyTorch 1.13 prints for the same calls. */
class IndexingTest extends OnReference {
    private static Tensor t(Object nested) {
        return Tensor.tensor(nested);
    }

    /** torch.arange(12.).reshape(3, 4) */
    private static Tensor x() {
        return Tensor.arange(12).to(DType.FLOAT32).reshape(3, 4);
    }

    private static void values(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape());
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-12);
    }

    @Test
    void gatherPicksAlongTheDimAndTakesTheIndexShape() {
        values(new double[] {0, 0, 5, 4}, new int[] {2, 2}, x().gather(1, t(new long[][] {{0, 0}, {1, 0}})));
        values(new double[] {0, 5, 10, 3}, new int[] {1, 4}, x().gather(0, t(new long[][] {{0, 1, 2, 0}})));
        // An index larger than the input along dim itself, and expanded (stride 0).
        values(new double[] {0, 0, 0, 0, 0, 5, 5, 5, 5, 5}, new int[] {2, 5}, x().gather(1, t(new long[][] {{0}, {1}}).expand(2, 5)));
        values(new double[] {5}, new int[] {}, Tensor.scalar(5).gather(0, Tensor.scalar(0).to(DType.INT64)));
        assertArrayEquals(new int[] {0, 4}, x().gather(1, Tensor.zeros(new int[] {0, 4}, DType.INT64, x().device())).shape());
        assertEquals(DType.INT64, Tensor.arange(6).reshape(2, 3).gather(1, t(new long[][] {{2}})).dtype());
    }

    @Test
    void scatterAddAddsRepeatedPositions() {
        Tensor ones = Tensor.ones(3, 4);
        values(new double[] {2, 1, 2, 3, 5, 6, 6, 7, 8, 9, 10, 11}, new int[] {3, 4}, x().scatterAdd(1, t(new long[][] {{0, 0}, {1, 0}}), ones));
        values(new double[] {3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {3, 4},
                x().scatterAdd(0, t(new long[][] {{0}, {0}, {0}}), ones));
    }

    @Test
    void scatterAddGradients() {
        Tensor a = Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3).requiresGrad_(true);
        Tensor s = Tensor.ones(2, 3).requiresGrad_(true);
        Tensor y = a.scatterAdd(1, t(new long[][] {{0}, {2}}), s);
        values(new double[] {1, 1, 2, 3, 4, 6}, new int[] {2, 3}, y);
        assertEquals("ScatterAddBackward0", y.gradFn().name());
        y.backward(Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3));
        values(new double[] {0, 1, 2, 3, 4, 5}, new int[] {2, 3}, a.grad());
        // PyTorch 1.13 refuses this backward (its src gradient has index's shape, (2, 1)); the
        // elements of src that index does not reach were never read, and their gradient is 0.
        values(new double[] {0, 0, 0, 5, 0, 0}, new int[] {2, 3}, s.grad());
    }

    @Test
    void gatherAndIndexSelectGradientsAddAtRepeatedPositions() {
        Tensor a = x().requiresGrad_(true);
        Tensor y = a.gather(1, t(new long[][] {{3, 3, 0}, {1, 1, 1}}));
        assertEquals("GatherBackward0", y.gradFn().name());
        y.sum().backward();
        values(new double[] {1, 0, 0, 2, 0, 3, 0, 0, 0, 0, 0, 0}, new int[] {3, 4}, a.grad());
        Tensor b = x().requiresGrad_(true);
        Tensor z = b.indexSelect(0, t(new long[] {2, 0, 2}));
        assertEquals("IndexSelectBackward0", z.gradFn().name());
        z.mul(t(new double[][] {{1}, {10}, {100}})).sum().backward();
        values(new double[] {10, 10, 10, 10, 0, 0, 0, 0, 101, 101, 101, 101}, new int[] {3, 4}, b.grad());
    }

    @Test
    void indexSelectTakesWholeSlices() {
        values(new double[] {2, 6, 10}, new int[] {3, 1}, x().indexSelect(1, Tensor.scalar(2).to(DType.INT64)));
        values(new double[] {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, new int[] {3, 4}, x().indexSelect(0, t(new long[] {2, 0, 2})));
        values(new double[] {3, 1, 7, 5, 11, 9}, new int[] {3, 2}, x().indexSelect(-1, t(new long[] {9, 3, 8, 1}).narrow(0, 1, 3).slice(0, 0, 3, 2)));
        values(new double[] {5}, new int[] {}, Tensor.scalar(5).indexSelect(0, t(new long[] {0})));
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 0).indexSelect(1, Tensor.zeros(new int[] {0}, DType.INT64, x().device())).shape());
    }

    @Test
    void indexSelectKeepsTheKnownRangeOfLabels() {
        // Labels uploaded from the host keep their known range through a shuffle, so a loss need not read them back.
        Tensor labels = t(new long[] {3, 1, 4, 1, 5});
        Tensor shuffled = labels.indexSelect(0, t(new long[] {4, 0, 2}));
        assertArrayEquals(new long[] {5, 3, 4}, shuffled.toLongArray());
        assertTrue(Int64Range.knownWithin(shuffled, 1, 6));
        assertFalse(Int64Range.knownWithin(shuffled, 2, 6));
    }

    @Test
    void maskedFillInTheInputsDtypeOverTheBroadcastShape() {
        Tensor x = x();
        values(new double[] {0, 1, 2, 3, 4, 5, -1, -1, -1, -1, -1, -1}, new int[] {3, 4}, x.maskedFill(x.gt(5), -1));
        values(new double[] {-1, 1, 2, -1, -1, 5, 6, -1, -1, 9, 10, -1}, new int[] {3, 4}, x.maskedFill(t(new long[] {1, 0, 0, 1}), -1));
        assertArrayEquals(new int[] {4, 2, 3}, Tensor.ones(2, 3).maskedFill(Tensor.ones(4, 2, 3).gt(0), 0.5).shape());
        Tensor ints = Tensor.arange(4);
        Tensor filled = ints.maskedFill(ints.gt(1), 0.5);
        assertEquals(DType.INT64, filled.dtype());
        assertArrayEquals(new long[] {0, 1, 0, 0}, filled.toLongArray());
        Tensor a = x().requiresGrad_(true);
        a.maskedFill(a.gt(5), 0).sum().backward();
        values(new double[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, new int[] {3, 4}, a.grad());
    }

    @Test
    void errorsNameTheOpAndTheRuleBroken() {
        Tensor x = x();
        assertMessage(() -> x.gather(1, t(new long[][] {{0, 4}})), "gather: index 4 is out of bounds for dimension 1 with size 4");
        assertMessage(() -> x.gather(1, t(new long[][] {{0, -1}})), "gather: index -1 is out of bounds for dimension 1 with size 4");
        assertThrows(IndexOutOfBoundsException.class, () -> x.gather(1, t(new long[][] {{0, 4}})));
        assertMessage(() -> x.gather(1, t(new long[] {0, 1})), "gather", "as many dimensions", "(2,)", "(3, 4)");
        assertMessage(() -> x.gather(0, t(new long[][] {{0, 1, 2, 0, 1}})), "gather", "(1, 5)", "(3, 4)", "but 0", "dimension 1 is 5");
        assertMessage(() -> x.gather(1, t(new double[][] {{0, 1}})), "gather: index must be int64, got float32");
        assertMessage(() -> x.gather(2, t(new long[][] {{0}})), "gather");
        assertMessage(() -> Tensor.zeros(2, 0).gather(1, t(new long[][] {{0}, {0}})), "index 0 is out of bounds for dimension 1 with size 0");
        assertMessage(() -> x.indexSelect(1, t(new long[][] {{2}})), "indexSelect: index must be a vector, got shape (1, 1)");
        assertMessage(() -> x.indexSelect(1, t(new long[] {4})), "indexSelect: index 4 is out of bounds for dimension 1 with size 4");
        assertMessage(() -> x.indexSelect(1, t(new long[] {-1})), "indexSelect: index -1 is out of bounds");
        assertMessage(() -> x.indexSelect(1, t(new double[] {1})), "indexSelect: index must be int64");
        assertMessage(() -> x.indexSelect(2, t(new long[] {1})), "indexSelect");
        Tensor ones = Tensor.ones(3, 4);
        assertMessage(() -> x.scatterAdd(1, t(new long[][] {{0, 0}, {1, 7}}), ones), "scatterAdd: index 7 is out of bounds for dimension 1");
        assertMessage(() -> x.scatterAdd(1, t(new long[][] {{0, 0}, {1, 0}}), Tensor.ones(1, 1)), "scatterAdd", "src of shape (1, 1)");
        assertMessage(() -> x.scatterAdd(0, t(new long[][] {{0, 0, 0, 0, 0}}), Tensor.ones(3, 5)), "scatterAdd", "the input of shape (3, 4)",
                "but 0");
        assertMessage(() -> x.scatterAdd(1, t(new long[][] {{0}}), Tensor.ones(new int[] {3, 4}, DType.INT64, x.device())),
                "scatterAdd: src must have the input's dtype float32, got int64");
        assertMessage(() -> x.scatterAdd(1, t(new long[] {0}), ones), "scatterAdd", "as many dimensions");
        assertMessage(() -> x.maskedFill(t(new double[] {1, 0}), -1), "maskedFill", "(3, 4)", "(2,)");
        assertMessage(() -> Tensor.arange(3).maskedFill(Tensor.arange(3).gt(0), Double.POSITIVE_INFINITY), "maskedFill", "int64");
    }

    @Test
    void aSavedIndexChangedInPlaceRefusesTheBackward() {
        Tensor a = x().requiresGrad_(true);
        Tensor index = t(new long[][] {{0, 1}});
        Tensor y = a.gather(1, index);
        index.add_(1);
        assertMessage(() -> y.sum().backward(), "GatherBackward0", "modified by an in-place operation");
    }
}
