package dev.cortado.cpu;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.Inputs;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The batch-norm backward pass computes each channel's input gradient right after its sums when
 * the channels go round the threads and the planes are large, and in a second pass over all
 * planes otherwise: both must give the reference's gradients and the same bits.
 */
class BatchNormKernelsTest {
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    /** x, weight and bias gradients of sum(batch_norm(x) · g), on the CPU with the given thread count. */
    private static float[][] gradients(int threadCount, boolean training, int... shape) {
        Cortado.setNumThreads(threadCount);
        return gradients(dev.cortado.tensor.Device.CPU, training, shape);
    }

    private static float[][] gradients(dev.cortado.tensor.Device device, boolean training, int... shape) {
        int c = shape[1];
        Tensor x = Inputs.randn(1, device, shape).mul(2).add(0.5).requiresGrad_(true);
        Tensor w = Inputs.randn(2, device, c).requiresGrad_(true);
        Tensor b = Inputs.randn(3, device, c).requiresGrad_(true);
        Tensor g = Inputs.randn(4, device, shape);
        Tensor mean = Inputs.randn(5, device, c);
        Tensor var = Inputs.randn(6, device, c).abs().add(0.5);
        Tensor y = training ? Normalization.batchNorm(x, null, null, w, b, true, 0.1, 1e-5)
                : Normalization.batchNorm(x, mean, var, w, b, false, 0.1, 1e-5);
        y.mul(g).sum().backward();
        return new float[][] {x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    @Test
    void bothPassesGiveTheReferenceGradientsBitForBit() {
        // 16 channels of 16×17 planes: fused on one and two threads (16 ≥ 4·threads), not on five.
        for (boolean training : new boolean[] {true, false}) {
            int[] shape = {6, 16, 16, 17};
            float[][] ref = gradients(ReferenceBackend.DEVICE, training, shape);
            float[][] one = gradients(1, training, shape);
            for (int k = 0; k < 3; k++) {
                Inputs.assertClose("gradient " + k + (training ? " (training)" : " (eval)"), Tensor.fromArray(one[k], new int[] {one[k].length}),
                        Tensor.fromArray(ref[k], new int[] {ref[k].length}), 1e-4);
            }
            for (int t : new int[] {2, 5}) {
                float[][] other = gradients(t, training, shape);
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(one[k], other[k], 0f, "gradient " + k + " on " + t + " threads" + (training ? " (training)" : " (eval)"));
                }
            }
        }
    }

    @Test
    void smallPlanesTakeTheSeparatePassAndAgree() {
        // 8×8 planes (ResNet-20's last stage) stay with the pass over all planes on any thread count.
        int[] shape = {5, 12, 8, 8};
        float[][] ref = gradients(ReferenceBackend.DEVICE, true, shape);
        float[][] one = gradients(1, true, shape);
        float[][] two = gradients(2, true, shape);
        for (int k = 0; k < 3; k++) {
            Inputs.assertClose("gradient " + k, Tensor.fromArray(one[k], new int[] {one[k].length}), Tensor.fromArray(ref[k], new int[] {ref[k].length}),
                    1e-4);
            assertArrayEquals(one[k], two[k], 0f, "gradient " + k + " on 2 threads");
        }
    }
}
