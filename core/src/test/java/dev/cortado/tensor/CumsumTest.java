package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** cumsum against what PyTorch 1.13 prints on its CPU, which carries float32 sums in double; the backends match these bits in the contract. */
class CumsumTest extends OnReference {
    @Test
    void runningSumsAndTheirGradient() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
        Tensor y = x.cumsum(1);
        assertArrayEquals(new double[] {1, 3, 6, 4, 9, 15}, y.toDoubleArray());
        y.mul(Tensor.fromArray(new float[] {1, -1, 2, 0.5f, 0, 3}, 2, 3)).sum().backward();
        assertArrayEquals(new double[] {2, 1, 2, 3.5, 3, 3}, x.grad().toDoubleArray());
        assertArrayEquals(new long[] {1, 2, 4, 6}, Tensor.fromArray(new long[] {1, 2, 3, 4}, 2, 2).cumsum(0).toLongArray());
        assertEquals(DType.INT64, Tensor.fromArray(new long[] {1, 2}, 2).cumsum(0).dtype());
        assertEquals(5.0, Tensor.scalar(5).cumsum(0).item());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).cumsum(0).shape());
        assertMessage(() -> Tensor.ones(2, 3).cumsum(2), "cumsum: dimension out of range");
        check(in -> in[0].cumsum(0).add(in[0].transpose(0, 1).cumsum(-1).transpose(0, 1)), Tensor.randn(4, 3));
    }

    @Test
    void float32SumsAreCarriedInDoubleAsOnPyTorchsCpu() {
        // In float32 1e8 + 1 is 1e8, and the last sum would be 0.
        assertArrayEquals(new float[] {1e8f, 1e8f, 1}, Tensor.fromArray(new float[] {1e8f, 1, -1e8f}, 3).cumsum(0).toFloatArray());
        float[] v = new float[20000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (i + 1) * 0.1f;
        }
        float[] sums = Tensor.fromArray(v, v.length).cumsum(0).toFloatArray();
        assertEquals(20001000.0f, sums[sums.length - 1]);
    }
}
