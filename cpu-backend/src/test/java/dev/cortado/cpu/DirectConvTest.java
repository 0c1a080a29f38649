package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which layers take the direct kernels, and that their results do not depend on the thread count. */
class DirectConvTest {
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    private static Conv2dParams params(int k, int stride, int pad) {
        return new Conv2dParams(k, k, stride, stride, pad, pad, 1, 1, 1);
    }

    @Test
    void servesStrideOneLayersWithFewChannels() {
        assertTrue(DirectConv.applies(1, 3, params(7, 1, 0)), "edge net, first layer");
        assertTrue(DirectConv.applies(3, 3, params(7, 1, 0)), "edge net, second layer");
        assertTrue(DirectConv.applies(1, 6, params(3, 1, 1)), "LeNet, first layer");
        assertFalse(DirectConv.applies(1, 16, params(3, 1, 1)), "16 filters: im2col + GEMM is as fast forward and faster backward");
        assertFalse(DirectConv.applies(3, 3, params(3, 2, 1)), "stride 2");
        assertFalse(DirectConv.applies(6, 3, params(3, 1, 1)), "6 input channels");
        assertFalse(DirectConv.appliesToInputGradient(2, 3, 3, 3, params(3, 1, 3)), "padding beyond the kernel's reach");
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Cortado.manualSeed(3);
        Tensor x = Tensor.randn(5, 3, 19, 23);
        Tensor w = Tensor.randn(4, 3, 5, 5);
        float[][] ref = null;
        for (int t = 1; t <= 3; t++) {
            Cortado.setNumThreads(t);
            Tensor xi = x.detach().requiresGrad_(true);
            Tensor wi = w.detach().requiresGrad_(true);
            Tensor y = Convolution.conv2d(xi, wi, null, ConvOptions.DEFAULT.padding(2));
            y.mul(y).sum().backward();
            float[][] got = {y.toFloatArray(), xi.grad().toFloatArray(), wi.grad().toFloatArray()};
            if (ref == null) {
                ref = got;
            } else {
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(ref[i], got[i], 0f, "result " + i + " with " + t + " threads");
                }
            }
        }
    }
}
