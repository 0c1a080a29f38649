package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Pooling against values printed by PyTorch 1.13, with gradients and errors. */
class PoolingTest extends OnReference {
    private static Tensor y() {
        return Tensor.tensor(new float[][] {{3, 1, 4, 1, 5}, {9, 2, 6, 5, 3}, {5, 8, 9, 7, 9}, {3, 2, 3, 8, 4}, {6, 2, 6, 4, 3}})
                .reshape(1, 1, 5, 5);
    }

    private static void assertValues(Tensor actual, float... expected) {
        assertClose("values", actual, Tensor.fromArray(expected, actual.shape()), 1e-5);
    }

    private static Tensor randn(long seed, int... shape) {
        return dev.cortado.testing.Inputs.randn(seed, ReferenceBackend.DEVICE, shape);
    }

    @Test
    void maxPoolValuesAndIndicesMatchPyTorch() {
        ValuesIndices ceil = Pooling.maxPool2dWithIndices(y(), PoolOptions.of(2).ceilMode(true));
        assertArrayEquals(new int[] {1, 1, 3, 3}, ceil.values().shape());
        assertValues(ceil.values(), 9, 6, 5, 8, 9, 9, 6, 6, 3);
        assertArrayEquals(new long[] {5, 7, 4, 11, 12, 14, 20, 22, 24}, ceil.indices().toLongArray());
        ValuesIndices pad = Pooling.maxPool2dWithIndices(y(), PoolOptions.of(3).stride(2).padding(1));
        assertValues(pad.values(), 9, 6, 5, 9, 9, 9, 6, 8, 8);
        assertArrayEquals(new long[] {5, 7, 4, 5, 12, 14, 20, 18, 18}, pad.indices().toLongArray());
        assertArrayEquals(new int[] {1, 2, 2}, Pooling.maxPool2d(y().squeeze(0), PoolOptions.of(2)).shape(), "floor mode, unbatched");
    }

    @Test
    void maxPoolNaNsWinAndTheLastOneKeepsItsIndexAsInPyTorch() {
        float n = Float.NaN;
        Tensor x = Tensor.tensor(new float[][] {{1, n, 3}, {n, 2, 0}, {5, 6, n}}).reshape(1, 1, 3, 3);
        ValuesIndices pad = Pooling.maxPool2dWithIndices(x, PoolOptions.of(3).stride(1).padding(1));
        assertArrayEquals(new long[] {3, 3, 1, 3, 8, 8, 3, 8, 8}, pad.indices().toLongArray());
        for (float v : pad.values().toFloatArray()) {
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(v), "every window holds a NaN");
        }
        Tensor pair = Tensor.tensor(new float[][] {{n, 1}, {n, 2}}).reshape(1, 1, 2, 2);
        assertArrayEquals(new long[] {2}, Pooling.maxPool2dWithIndices(pair, PoolOptions.of(2)).indices().toLongArray());
    }

    @Test
    void avgPoolDivisorsMatchPyTorch() {
        PoolOptions o = PoolOptions.of(3).stride(2).padding(1);
        assertValues(Pooling.avgPool2d(y(), o), 1.66667f, 2.11111f, 1.55556f, 3.22222f, 5.55556f, 4f, 1.44444f, 2.77778f, 2.11111f);
        assertValues(Pooling.avgPool2d(y(), o.countIncludePad(false)), 3.75f, 3.16667f, 3.5f, 4.83333f, 5.55556f, 6f, 3.25f, 4.16667f,
                4.75f);
        Tensor ceil = Pooling.avgPool2d(y(), PoolOptions.of(2).ceilMode(true));
        assertValues(ceil, 3.75f, 4f, 4f, 4.5f, 6.75f, 6.5f, 4f, 5f, 3f);
    }

    @Test
    void adaptiveAvgPoolUsesOverlappingWindowsLikePyTorch() {
        Tensor a = Pooling.adaptiveAvgPool2d(y(), 3, 2);
        assertArrayEquals(new int[] {1, 1, 3, 2}, a.shape());
        assertValues(a, 4.16667f, 4f, 5.22222f, 6f, 3.66667f, 4.66667f);
        assertValues(Pooling.adaptiveAvgPool2d(y(), 1, 1), 4.72f);
        assertArrayEquals(new int[] {2, 7, 1, 1}, Pooling.adaptiveAvgPool2d(Tensor.ones(2, 7, 8, 8), 1, 1).shape());
    }

    @Test
    void gradients() {
        Tensor x = randn(1, 2, 2, 7, 6);
        check(in -> Pooling.maxPool2d(in[0], PoolOptions.of(2)), x);
        check(in -> Pooling.maxPool2d(in[0], PoolOptions.of(3).stride(2).padding(1).ceilMode(true)), x);
        check(in -> Pooling.maxPool2d(in[0], PoolOptions.of(2).dilation(2).stride(1)), x);
        check(in -> Pooling.avgPool2d(in[0], PoolOptions.of(3).stride(2).padding(1)), x);
        check(in -> Pooling.avgPool2d(in[0], PoolOptions.of(3).stride(2).padding(1).ceilMode(true).countIncludePad(false)), x);
        check(in -> Pooling.adaptiveAvgPool2d(in[0], 3, 4), x);
        check(in -> Pooling.adaptiveAvgPool2d(in[0], 1, 1), x);
        // Max pooling of a ReLU's output takes the gradient through the ReLU in one step.
        check(in -> Pooling.maxPool2d(in[0].relu(), PoolOptions.of(2)), x);
        check(in -> Pooling.maxPool2d(in[0].relu(), PoolOptions.of(3).stride(1).padding(1)), x);
    }

    @Test
    void maxPoolThroughReluGivesTheTwoStepGradientWhereverTheReluOutputGoes() {
        Tensor x = randn(2, 2, 3, 6, 6);
        Tensor g = randn(3, 2, 3, 3, 3);
        Tensor twoSteps = x.detach().requiresGrad_(true);
        // mul(1) between them keeps ReLU's backward a step of its own.
        Pooling.maxPool2d(twoSteps.relu().mul(1), PoolOptions.of(2)).backward(g, false);
        Tensor fused = x.detach().requiresGrad_(true);
        Pooling.maxPool2d(fused.relu(), PoolOptions.of(2)).backward(g, false);
        assertArrayEquals(twoSteps.grad().toFloatArray(), fused.grad().toFloatArray(), 0f);

        // The ReLU's output read twice: its gradient sums both uses, so nothing is handed through.
        Tensor twice = x.detach().requiresGrad_(true);
        Tensor y = twice.relu();
        Pooling.maxPool2d(y, PoolOptions.of(2)).backward(g, true);
        Tensor once = twice.grad().clone();
        twice.zeroGrad();
        Tensor z = Pooling.maxPool2d(y, PoolOptions.of(2)).mul(g).sum().add(y.sum());
        z.backward();
        assertClose("pool and sum of one ReLU output", twice.grad(), once.add(x.gt(0)), 1e-6);

        // Kept graphs go through again; freed ones say so.
        Tensor again = x.detach().requiresGrad_(true);
        Tensor p = Pooling.maxPool2d(again.relu(), PoolOptions.of(2));
        p.backward(g, true);
        p.backward(g, false);
        assertArrayEquals(fused.grad().mul(2).toFloatArray(), again.grad().toFloatArray(), 0f);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> p.backward(g, false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void errorsNameTheShapesAndTheRule() {
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(4, 4), PoolOptions.of(2)), "max_pool2d", "(4, 4)", "4-d");
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 4, 4), PoolOptions.of(2).padding(2)), "padding (2, 2)", "half");
        // As in PyTorch, half of the kernel size, not of the dilated window (here 4 wide).
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 8, 8), PoolOptions.of(2).dilation(3).padding(2)), "padding (2, 2)",
                "half of the kernel size (2, 2)");
        assertMessage(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 2, 2), PoolOptions.of(3)), "avg_pool2d", "(1, 1, 2, 2)",
                "smaller than the kernel");
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 4, 4), PoolOptions.of(0)), "kernel size", "positive");
        assertMessage(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), PoolOptions.of(2).dilation(2)), "avg_pool2d", "dilation");
        assertMessage(() -> Pooling.maxPool2d(Tensor.arange(16).reshape(1, 1, 4, 4), PoolOptions.of(2)), "float32");
        assertMessage(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 4, 4), 0, 2), "adaptive_avg_pool2d", "(0, 2)");
    }

    @Test
    void adaptiveMaxPoolingMatchesPyTorchOnUnevenWindows() {
        double[] v = new double[140];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin((float) i * 0.61f);
        }
        Tensor x = Tensor.fromArray(v, 2, 2, 5, 7).requiresGrad_(true);
        Tensor y = Pooling.adaptiveMaxPool2d(x, 3, 4);
        assertArrayEquals(new int[] {2, 2, 3, 4}, y.shape());
        double[] c = new double[y.numel()];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.cos((float) i * 0.3f);
        }
        Tensor w = Tensor.fromArray(c, y.shape());
        y.mul(w).sum().backward();
        org.junit.jupiter.api.Assertions.assertEquals(39.691978454589844, y.sum().item(), 1e-5);
        org.junit.jupiter.api.Assertions.assertEquals(3.0866785049438477, y.mul(w).sum().item(), 1e-5);
        org.junit.jupiter.api.Assertions.assertEquals(3.0866782665252686, x.grad().mul(x.detach()).sum().item(), 1e-5);
        org.junit.jupiter.api.Assertions.assertEquals(31, x.grad().nonzero().size(0), "positions that were a window's maximum");
        assertArrayEquals(new int[] {3, 1, 1}, Pooling.adaptiveMaxPool2d(Tensor.randn(3, 4, 4), 1, 1).shape());
        assertMessage(() -> Pooling.adaptiveMaxPool2d(Tensor.ones(2, 2), 1, 1), "adaptive_max_pool2d: expected a 3-d (C, H, W) or 4-d");
    }
}
