package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** F.unfold and F.fold against what PyTorch 1.13 prints, and a convolution written as unfold + matmul. */
class FoldingTest extends OnReference {
    private static final int[] K = {2, 3};
    private static final int[] DIL = {2, 1};
    private static final int[] PAD = {1, 0};
    private static final int[] STRIDE = {2, 1};

    private static Tensor arange(int n, int... shape) {
        return Tensor.arange(0.0, n, 1).reshape(shape);
    }

    private static double weighted(Tensor t) {
        return t.mul(arange(t.numel(), t.shape())).sum().item();
    }

    @Test
    void unfoldAndFoldMatchPyTorchAndAreEachOthersAdjoint() {
        Tensor x = arange(80, 2, 2, 5, 4).requiresGrad_(true);
        Tensor u = Folding.unfold(x, K, DIL, PAD, STRIDE);
        assertArrayEquals(new int[] {2, 12, 6}, u.shape());
        assertEquals(3792.0, u.sum().item());
        assertEquals(358320.0, weighted(u));
        Tensor w = arange(u.numel(), u.shape());
        u.mul(w).sum().backward();
        assertEquals(6864.0, x.grad().sum().item());
        assertEquals(358320.0, weighted(x.grad()));
        Tensor f = Folding.fold(w, new int[] {5, 4}, K, DIL, PAD, STRIDE);
        assertArrayEquals(new int[] {2, 2, 5, 4}, f.shape());
        assertEquals(6864.0, f.sum().item());
        assertEquals(358320.0, weighted(f));
        assertArrayEquals(new double[] {1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1},
                Folding.fold(Tensor.ones(1, 4, 9), new int[] {4, 4}, 2).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8}, Folding.unfold(arange(9, 1, 1, 3, 3), 2).toDoubleArray());
        assertArrayEquals(new int[] {4, 4}, Folding.unfold(arange(9, 1, 3, 3), 2).shape());
        assertArrayEquals(new int[] {1, 3, 3}, Folding.fold(Tensor.ones(4, 4), new int[] {3, 3}, 2).shape());
    }

    @Test
    void aConvolutionIsAMatrixProductOfTheUnfoldedInput() {
        Tensor x = Tensor.randn(2, 3, 6, 5);
        Tensor weight = Tensor.randn(4, 3, 3, 3);
        ConvOptions o = ConvOptions.DEFAULT.padding(1).stride(2);
        Tensor direct = Convolution.conv2d(x, weight, null, o);
        Tensor cols = Folding.unfold(x, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2});
        Tensor viaMatmul = weight.reshape(4, -1).matmul(cols).reshape(2, 4, direct.size(2), direct.size(3));
        assertClose("conv as unfold + matmul", viaMatmul, direct, 1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        check(in -> Folding.unfold(in[0], K, DIL, PAD, STRIDE), arange(40, 1, 2, 5, 4).mul(0.1));
        check(in -> Folding.fold(in[0], new int[] {5, 4}, K, DIL, PAD, STRIDE), arange(72, 1, 12, 6).mul(0.1));
    }

    @Test
    void badGeometryIsNamed() {
        assertMessage(() -> Folding.unfold(Tensor.ones(1, 1, 2, 2), 3), "unfold: given input with spatial size (2, 2)",
                "kernel size [3, 3]", "would be (0, 0), but its components must be at least one");
        assertMessage(() -> Folding.fold(Tensor.ones(1, 5, 9), new int[] {4, 4}, 2),
                "fold: size 5 of the input's dimension 1 must be divisible by the product of the kernel size 2 * 2");
        assertMessage(() -> Folding.fold(Tensor.ones(1, 4, 8), new int[] {4, 4}, 2), "must hold the 3 * 3 sliding blocks, but it has size 8");
        assertMessage(() -> Folding.unfold(Tensor.ones(2, 2), 1), "unfold: input must be a 3-D (C, H, W) or 4-D (N, C, H, W) tensor, got shape (2, 2)");
        assertMessage(() -> Folding.unfold(Tensor.ones(1, 1, 4, 4), new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 1}),
                "unfold: stride must be two values (height, width) of at least 1, got [0, 1]");
        assertMessage(() -> Folding.fold(Tensor.ones(1, 4, 9), new int[] {4}, 2), "fold: outputSize must be two positive sizes");
    }
}
