package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** scatter, indexAdd, diagonal/diag/trace, meshgrid and the bmm/mm/mv/dot forms against what PyTorch 1.13 prints. */
class ScatterDiagonalTest extends OnReference {
    private static Tensor longs(long[] v, int... shape) {
        return Tensor.fromArray(v, shape);
    }

    @Test
    void scatterWritesValuesOrSourceElements() {
        Tensor oneHot = Tensor.zeros(3, 4).scatter(1, longs(new long[] {1, 3, 0}, 3, 1), 1.0);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, oneHot.toDoubleArray());
        Tensor src = Tensor.arange(1.0, 7, 1).reshape(2, 3).requiresGrad_(true);
        Tensor base = Tensor.zeros(3, 3).requiresGrad_(true);
        Tensor y = base.scatter(0, longs(new long[] {0, 1, 2, 2, 0, 1}, 2, 3), src);
        assertArrayEquals(new double[] {1, 5, 0, 0, 2, 6, 4, 0, 3}, y.toDoubleArray());
        y.mul(Tensor.arange(0.0, 9, 1).reshape(3, 3)).sum().backward();
        assertArrayEquals(new double[] {0, 4, 8, 6, 1, 5}, src.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 2, 3, 0, 0, 0, 7, 0}, base.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0}, Tensor.zeros(3).scatter(0, longs(new long[] {1, 1, 0}, 3), 1.0).toDoubleArray(),
                "one value written twice is still that value");
        assertMessage(() -> Tensor.zeros(3).scatter(0, longs(new long[] {1, 1}, 2), Tensor.ones(2)),
                "scatter: index writes one position 2 times along dim 0");
        assertMessage(() -> Tensor.zeros(3).scatter(0, longs(new long[] {5}, 1), 1.0), "scatter: index 5 is out of bounds for dimension 0 with size 3");
        assertMessage(() -> Tensor.zeros(2, 3).scatter(1, longs(new long[] {0, 3}, 2, 1), Tensor.ones(2, 1)), "scatter: index 3 is out of bounds for dimension 1");
    }

    @Test
    void indexAddAddsSlicesAtRepeatedPositions() {
        Tensor s = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad_(true);
        Tensor z = Tensor.ones(3, 2).indexAdd(0, longs(new long[] {0, 2, 0}, 3), s, 2);
        assertArrayEquals(new double[] {13, 17, 1, 1, 7, 9}, z.toDoubleArray());
        z.sum().backward();
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, s.grad().toDoubleArray());
        assertMessage(() -> Tensor.ones(3, 2).indexAdd(0, longs(new long[] {0, 1}, 2), Tensor.ones(3, 2), 1),
                "indexAdd: source (3, 2) must have the input's shape (3, 2) with dim 0 as long as index (2)");
        check(in -> in[0].indexAdd(1, longs(new long[] {2, 0}, 2), in[1], 0.5), Tensor.randn(2, 3), Tensor.randn(2, 2));
    }

    @Test
    void diagonalsAreViewsWithTheirOwnGradient() {
        Tensor m = Tensor.arange(0.0, 12, 1).reshape(3, 4);
        assertArrayEquals(new double[] {0, 5, 10}, m.diagonal().toDoubleArray());
        assertArrayEquals(new double[] {1, 6, 11}, m.diagonal(1, 0, 1).toDoubleArray());
        assertArrayEquals(new double[] {4, 9}, m.diagonal(-1, 0, 1).toDoubleArray());
        assertArrayEquals(new double[] {8}, m.diag(-2).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 2, 0, 0, 0}, Tensor.fromArray(new float[] {1, 2}, 2).diag(1).toDoubleArray());
        assertEquals(15.0, m.trace().item());
        Tensor t = Tensor.arange(0.0, 24, 1).reshape(2, 3, 4).requiresGrad_(true);
        Tensor d = t.diagonal(0, 1, 2);
        assertArrayEquals(new int[] {2, 3}, d.shape());
        assertArrayEquals(new double[] {0, 5, 10, 12, 17, 22}, d.toDoubleArray());
        d.mul(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6, 0}, t.grad().toDoubleArray());
        Tensor v = Tensor.fromArray(new float[] {1, 2}, 2).requiresGrad_(true);
        v.diag(0).mul(Tensor.fromArray(new float[] {3, 5, 7, 11}, 2, 2)).sum().backward();
        assertArrayEquals(new double[] {3, 11}, v.grad().toDoubleArray(), "diag of a vector passes the diagonal's gradient back");
        assertArrayEquals(new int[] {0}, m.diagonal(5, 0, 1).shape());
        assertMessage(() -> m.diagonal(0, 1, 1), "diagonal: dim1 and dim2 cannot be the same dimension (1)");
        check(in -> in[0].diagonal(1, 2, 0), Tensor.randn(3, 2, 4));
    }

    @Test
    void meshgridAndTheMatrixProductForms() {
        List<Tensor> xy = Tensor.meshgrid(List.of(Tensor.fromArray(new float[] {1, 2, 3}, 3), Tensor.fromArray(new float[] {4, 5}, 2)), "xy");
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, xy.get(0).contiguous().toDoubleArray());
        assertArrayEquals(new double[] {4, 4, 4, 5, 5, 5}, xy.get(1).contiguous().toDoubleArray());
        List<Tensor> ij = Tensor.meshgrid(List.of(Tensor.fromArray(new float[] {1, 2, 3}, 3), Tensor.fromArray(new float[] {4, 5}, 2)), "ij");
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3}, ij.get(0).contiguous().toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 4, 5, 4, 5}, ij.get(1).contiguous().toDoubleArray());
        assertMessage(() -> Tensor.meshgrid(List.of(Tensor.ones(2)), "yx"), "meshgrid: indexing must be \"ij\" or \"xy\"");
        assertArrayEquals(new int[] {2, 3, 5}, Tensor.ones(2, 3, 4).bmm(Tensor.ones(2, 4, 5)).shape());
        assertMessage(() -> Tensor.ones(2, 3, 4).bmm(Tensor.ones(4, 5)), "bmm: expected two 3-d tensors with the same batch size");
        assertMessage(() -> Tensor.ones(3).mm(Tensor.ones(3, 2)), "mm: expected two 2-d tensors");
        assertEquals(11.0, Tensor.fromArray(new float[] {1, 2}, 2).dot(Tensor.fromArray(new float[] {3, 4}, 2)).item());
        assertArrayEquals(new double[] {3, 7}, Tensor.fromArray(new float[] {1, 1, 3, 2}, 2, 2).mv(Tensor.fromArray(new float[] {1, 2}, 2))
                .toDoubleArray());
        assertMessage(() -> Tensor.ones(2).dot(Tensor.ones(3)), "dot: expected two 1-d tensors of the same length");
    }
}
