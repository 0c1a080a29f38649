package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** cumprod, searchsorted and bucketize against what PyTorch 1.13 prints. */
class SearchingTest extends OnReference {
    @Test
    void cumprodAndItsGradientWithZeros() {
        Tensor x = Tensor.fromArray(new float[] {1.5f, -2, 0, 3, 0.5f, 0.25f, 4, -1}, 2, 4).requiresGrad_(true);
        Tensor y = x.cumprod(1);
        assertClose("cumprod", y.detach(), Tensor.fromArray(new float[] {1.5f, -3, -0f, -0f, 0.5f, 0.125f, 0.5f, -0.5f}, 2, 4), 1e-7);
        y.backward(Tensor.arange(1.0, 9.0, 1).reshape(2, 4));
        assertClose("gradient through the zero", x.grad(), Tensor.fromArray(new float[] {-3, 3, -45, 0, 5.5f, 1, -0.125f, 4}, 2, 4), 1e-6);
        Tensor z = Tensor.fromArray(new float[] {2, 0, 0, 3}, 4).requiresGrad_(true);
        z.cumprod(0).sum().backward();
        assertArrayEquals(new float[] {1, 2, 0, 0}, z.grad().toFloatArray(), "two zeros");
        check(in -> in[0].cumprod(0), Tensor.randn(7, 2));
        assertClose("one element", Tensor.tensor(new float[] {3}).cumprod(0), Tensor.tensor(new float[] {3}), 0);
    }

    @Test
    void searchsortedAndBucketizeCountTheBoundariesBelow() {
        Tensor s = Tensor.tensor(new float[] {1, 3, 5, 7, 9});
        Tensor v = Tensor.fromArray(new float[] {3, 6, 9, 1, 10, 0}, 2, 3);
        assertArrayEquals(new long[] {1, 3, 4, 0, 5, 0}, Tensor.searchsorted(s, v, false).toLongArray());
        assertArrayEquals(new long[] {2, 3, 5, 1, 5, 0}, Tensor.searchsorted(s, v, true).toLongArray());
        assertArrayEquals(new int[] {2, 3}, Tensor.searchsorted(s, v, false).shape());
        Tensor b = Tensor.tensor(new float[] {3, 6, 9, -1});
        assertArrayEquals(new long[] {1, 3, 4, 0}, Tensor.bucketize(b, s, false).toLongArray());
        assertArrayEquals(new long[] {2, 3, 5, 0}, Tensor.bucketize(b, s, true).toLongArray());
        Tensor rows = Tensor.fromArray(new float[] {1, 3, 5, 2, 4, 6}, 2, 3);
        assertArrayEquals(new long[] {1, 3, 1, 0}, Tensor.searchsorted(rows, Tensor.fromArray(new float[] {3, 6, 3, 1}, 2, 2), false).toLongArray(),
                "one sorted row per row of values");
        assertMessage(() -> Tensor.searchsorted(rows, Tensor.ones(3, 2), false), "searchsorted: boundaries (2, 3) and input value (3, 2) must have the same leading dims");
        assertMessage(() -> Tensor.bucketize(b, rows, false), "bucketize: boundaries must be a 1-d tensor, got (2, 3)");
    }
}
