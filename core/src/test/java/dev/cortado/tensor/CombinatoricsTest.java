package dev.cortado.tensor;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** tril_indices, triu_indices, block_diag, cartesian_prod and combinations against what PyTorch 1.13 prints. */
class CombinatoricsTest extends OnReference {
    @Test
    void triangleIndicesArePyTorchs() {
        assertArrayEquals(new long[] {0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 0, 1, 2, 0, 1, 2, 3}, Tensor.trilIndices(3, 4, 1).toLongArray());
        assertArrayEquals(new int[] {2, 9}, Tensor.trilIndices(3, 4, 1).shape());
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1, 2, 2, 3, 0, 1, 2, 0, 1, 2, 1, 2, 2}, Tensor.triuIndices(4, 3, -1).toLongArray());
        assertArrayEquals(new int[] {2, 0}, Tensor.trilIndices(0, 3, 0).shape());
        assertMessage(() -> Tensor.trilIndices(-1, 3, 0), "tril_indices: row and col must be non-negative, got -1 and 3");
    }

    @Test
    void blockDiagPlacesEachTensorOnTheDiagonal() {
        Tensor d = Tensor.blockDiag(Tensor.scalar(2), Tensor.fromArray(new float[] {1, 2}, 2), Tensor.ones(2, 2));
        assertArrayEquals(new int[] {4, 5}, d.shape());
        assertArrayEquals(new double[] {2, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1}, d.toDoubleArray());
        assertEquals(DType.FLOAT32, Tensor.blockDiag(Tensor.ones(2, 2), Tensor.fromArray(new long[] {1, 2}, 2)).dtype(), "int64 joins float32 as float32");
        assertEquals(DType.INT64, Tensor.blockDiag(Tensor.fromArray(new long[] {1, 2}, 2)).dtype());
        Gradcheck.check(in -> Tensor.blockDiag(in[0], in[1]).mul(Tensor.arange(0.0, 20, 1).reshape(4, 5)).sum(), Tensor.randn(2, 3), Tensor.randn(2, 2));
        assertMessage(() -> Tensor.blockDiag(Tensor.ones(1, 2, 3)), "block_diag: input 0 has 3 dims, expected 0, 1 or 2: (1, 2, 3)");
        assertMessage(() -> Tensor.blockDiag(), "block_diag: expected at least one tensor");
    }

    @Test
    void cartesianProductAndCombinationsArePyTorchs() {
        Tensor p = Tensor.cartesianProd(Tensor.fromArray(new long[] {1, 2}, 2), Tensor.fromArray(new long[] {3, 4, 5}, 3));
        assertArrayEquals(new int[] {6, 2}, p.shape());
        assertArrayEquals(new long[] {1, 3, 1, 4, 1, 5, 2, 3, 2, 4, 2, 5}, p.toLongArray());
        Tensor one = Tensor.fromArray(new long[] {7, 8}, 2);
        org.junit.jupiter.api.Assertions.assertSame(one, Tensor.cartesianProd(one), "a single tensor comes back as it is");
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 4);
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 4, 1, 3, 4, 2, 3, 4}, x.combinations(3, false).toDoubleArray());
        Tensor three = Tensor.fromArray(new float[] {1, 2, 3}, 3);
        assertArrayEquals(new double[] {1, 1, 1, 2, 1, 3, 2, 2, 2, 3, 3, 3}, three.combinations(2, true).toDoubleArray());
        assertArrayEquals(new int[] {0, 3}, Tensor.fromArray(new float[] {1, 2}, 2).combinations(3, false).shape());
        assertArrayEquals(new int[] {0}, Tensor.fromArray(new float[] {1, 2}, 2).combinations(0, false).shape());
        Gradcheck.check(in -> in[0].combinations(2, false).prod(1, false).sum(), Tensor.randn(4));
        assertMessage(() -> Tensor.ones(2, 2).combinations(2, false), "combinations: expected a 1-d tensor, got (2, 2)");
        assertMessage(() -> Tensor.cartesianProd(Tensor.ones(2), Tensor.ones(2, 1)), "cartesian_prod: expected 1-d tensors, got (2, 1) at 1");
    }
}
