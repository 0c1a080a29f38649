package dev.cortado.tensor;

import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sums the convolution and pooling tests compare with PyTorch's: y, y·wt (wt a wave, whose
 * gradient the backward pass takes), x.grad, x.grad·x, then w.grad and w.grad·w when there is a
 * weight, and b.grad when there is a bias.
 */
final class ConvolutionSums {
    private ConvolutionSums() {
    }

    static void assertSums(String name, Tensor x, Tensor weight, Tensor b, Tensor y, int[] shape, double... sums) {
        assertArrayEquals(shape, y.shape(), name + " shape");
        Tensor weighted = y.mul(wave(y.numel(), 0.11, false, y.shape())).sum();
        weighted.backward();
        near(name + " sum", sums[0], y.sum().item());
        near(name + " weighted sum", sums[1], weighted.item());
        near(name + " x.grad", sums[2], x.grad().sum().item());
        near(name + " x.grad·x", sums[3], x.grad().mul(x.detach()).sum().item());
        if (weight != null) {
            near(name + " w.grad", sums[4], weight.grad().sum().item());
            near(name + " w.grad·w", sums[5], weight.grad().mul(weight.detach()).sum().item());
        }
        if (b != null) {
            near(name + " b.grad", sums[6], b.grad().sum().item());
        }
    }

    static void near(String what, double expected, double actual) {
        assertEquals(expected, actual, 2e-5 * (1 + Math.abs(expected)), what);
    }
}
