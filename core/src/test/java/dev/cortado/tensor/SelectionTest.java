package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** nonzero, maskedSelect and bincount, with PyTorch 1.13's results for the same calls. */
class SelectionTest extends OnReference {
    /** torch.arange(6.).reshape(2, 3) */
    private static Tensor x() {
        return Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3);
    }

    @Test
    void nonzeroGivesRowMajorPositions() {
        Tensor at = x().nonzero();
        assertArrayEquals(new int[] {5, 2}, at.shape());
        assertArrayEquals(new long[] {0, 1, 0, 2, 1, 0, 1, 1, 1, 2}, at.toLongArray());
        assertArrayEquals(new int[] {0, 0}, Tensor.scalar(0).nonzero().shape());
        assertArrayEquals(new int[] {1, 0}, Tensor.scalar(2).nonzero().shape());
        assertArrayEquals(new long[] {1}, Tensor.fromArray(new double[] {0, Double.NaN, -0.0}).nonzero().toLongArray(), "NaN counts, -0.0 not");
    }

    @Test
    void maskedSelectPicksAndPassesGradientsBack() {
        assertArrayEquals(new double[] {3, 4, 5}, x().maskedSelect(x().gt(2)).toDoubleArray());
        assertArrayEquals(new double[] {0, 2, 3, 5}, x().maskedSelect(Tensor.fromArray(new double[] {1, 0, 1})).toDoubleArray());
        Tensor a = x().requiresGrad_(true);
        a.maskedSelect(a.gt(2)).mul(Tensor.fromArray(new double[] {1, 2, 3})).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 1, 2, 3}, a.grad().toDoubleArray());
        assertMessage(() -> x().maskedSelect(Tensor.ones(2)), "maskedSelect");
    }

    @Test
    void bincountCountsAndSumsWeights() {
        Tensor v = Tensor.tensor(new long[] {1, 3, 3, 0});
        assertEquals(DType.INT64, v.bincount(0).dtype());
        assertArrayEquals(new long[] {1, 1, 0, 2}, v.bincount(0).toLongArray());
        assertArrayEquals(new long[] {1, 1, 0, 2, 0, 0}, v.bincount(6).toLongArray());
        assertArrayEquals(new double[] {4, 0.5, 0, 3}, v.bincount(Tensor.fromArray(new double[] {0.5, 1, 2, 4}), 0).toDoubleArray());
        assertArrayEquals(new int[] {0}, Tensor.tensor(new long[0]).bincount(0).shape());
        // A confusion matrix, as notebooks count one: bincount(target * classes + prediction).
        Tensor target = Tensor.tensor(new long[] {0, 1, 1, 2, 2, 2});
        Tensor predicted = Tensor.tensor(new long[] {0, 1, 2, 2, 2, 0});
        Tensor confusion = target.mul(3).add(predicted).bincount(9).reshape(3, 3);
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 1, 1, 0, 2}, confusion.toLongArray());
        assertMessage(() -> Tensor.tensor(new long[] {-1, 2}).bincount(0), "bincount: expected non-negative values, got -1");
        assertMessage(() -> Tensor.tensor(new long[][] {{1, 2}}).bincount(0), "bincount: expected a 1-d int64 tensor", "(1, 2)");
        assertMessage(() -> Tensor.fromArray(new double[] {1, 2}).bincount(0), "bincount", "float32");
        assertMessage(() -> v.bincount(Tensor.ones(3), 0), "bincount: weights", "(3,)", "4 values");
        assertMessage(() -> v.bincount(-1), "bincount: minlength");
    }
}
