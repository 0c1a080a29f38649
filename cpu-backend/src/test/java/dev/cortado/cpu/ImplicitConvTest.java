package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wide-grid implicit convolution against im2col + GEMM on the shapes where its blocking has
 * edges (partial filter and tap blocks, rows of any width, uneven sample groups), which layers it
 * serves, its fallback for non-finite inputs, and independence from the thread count.
 */
class ImplicitConvTest {
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    private static Conv2dParams params(int kh, int kw, int stride, int ph, int pw) {
        return new Conv2dParams(kh, kw, stride, stride, ph, pw, 1, 1, 1);
    }

    @Test
    void servesStrideOneLayers() {
        assertTrue(ImplicitConv.applies(1, 28, 28, params(7, 7, 1, 3, 3)), "edge net, first layer");
        assertTrue(ImplicitConv.applies(64, 8, 8, params(3, 3, 1, 1, 1)), "ResNet, last stage");
        assertTrue(ImplicitConv.applies(100, 32, 32, params(3, 3, 1, 1, 1)), "ThreeLayerConvNet, second layer");
        assertTrue(ImplicitConv.applies(16, 32, 32, params(3, 3, 2, 1, 1)), "stride 2 reads phase planes");
        assertFalse(ImplicitConv.appliesToInputGradient(32, 16, 16, 3, 3, params(3, 3, 2, 1, 1)), "a strided input gradient goes to col2im");
        assertFalse(ImplicitConv.applies(4, 12, 12, new Conv2dParams(3, 3, 1, 1, 2, 2, 2, 2, 1)), "dilation");
        assertFalse(ImplicitConv.applies(6, 8, 8, new Conv2dParams(3, 3, 1, 1, 1, 1, 1, 1, 3)), "groups");
        assertFalse(ImplicitConv.applies(256, 128, 128, params(3, 3, 1, 1, 1)), "a sample's planes too large for the cache");
        assertFalse(ImplicitConv.appliesToInputGradient(3, 5, 6, 3, 3, params(3, 3, 1, 3, 3)), "padding beyond the kernel's reach");
        assertTrue(ImplicitConv.appliesToInputGradient(3, 5, 6, 3, 3, params(3, 3, 1, 2, 2)), "padding at the kernel's reach");
    }

    /** n, cin, h, w, cout, kh, kw, ph, pw[, stride]. */
    static Stream<int[]> shapes() {
        return Stream.of(
                new int[] {3, 5, 9, 11, 7, 3, 3, 1, 1},      // one filter past a block of 6, width 11
                new int[] {11, 4, 8, 8, 13, 1, 1, 0, 0},     // 1×1: 4 taps (not a multiple of 3), 11 samples over 8 parts
                new int[] {2, 2, 5, 37, 3, 5, 3, 2, 0},      // non-square kernel, rows wider than two vectors, no side padding
                new int[] {1, 3, 7, 6, 64, 3, 3, 2, 2},      // one sample, padding at the kernel's reach
                new int[] {19, 64, 8, 8, 64, 3, 3, 1, 1},    // ResNet's last stage: several samples per cache group
                new int[] {2, 1, 28, 28, 3, 7, 7, 3, 3},     // the edge net's first layer
                new int[] {4, 6, 14, 14, 16, 3, 3, 1, 1},    // LeNet's second layer
                new int[] {9, 5, 7, 6, 48, 3, 3, 1, 1},      // filters on the lanes: 32 + 16 of them, 45 taps (not a multiple of 8)
                new int[] {3, 32, 16, 16, 32, 3, 3, 1, 1},   // ResNet's middle stage: filters on the lanes at the largest plane
                new int[] {5, 16, 32, 32, 32, 3, 3, 1, 1, 2},   // ResNet's first stride-2 layer
                new int[] {3, 3, 13, 10, 4, 5, 5, 2, 2, 2},     // stride 2, odd sizes, 5×5
                new int[] {2, 4, 11, 9, 5, 3, 3, 0, 1, 3},      // stride 3, uneven padding
                new int[] {4, 8, 5, 7, 6, 1, 1, 0, 0, 2});      // 1×1 stride 2
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesIm2col(int[] s) {
        Cortado.manualSeed(s[0] * 31L + s[4]);
        int stride = s.length > 9 ? s[9] : 1;
        Conv2dParams p = params(s[5], s[6], stride, s[7], s[8]);
        int oh = p.outH(s[2]);
        int ow = (s[3] + 2 * s[8] - s[6]) / stride + 1;
        Tensor x = Tensor.randn(s[0], s[1], s[2], s[3]);
        Tensor w = Tensor.randn(s[4], s[1], s[5], s[6]);
        Tensor g = Tensor.randn(s[0], s[4], oh, ow);
        double scale = Math.sqrt(s[1] * s[5] * s[6]);
        Tensor out = Tensor.zeros(s[0], s[4], oh, ow);
        Tensor expected = Tensor.zeros(s[0], s[4], oh, ow);
        ImplicitConv.forward(out, x, w, null, p);
        Im2colConv.forward(expected, x, w, p);
        assertClose("forward", expected, out, 1e-5 * scale);
        if (stride == 1) {
            Tensor gi = Tensor.zeros(s[0], s[1], s[2], s[3]);
            Tensor giExpected = Tensor.zeros(s[0], s[1], s[2], s[3]);
            ImplicitConv.backwardInput(gi, g, w, p);
            Im2colConv.backwardInput(giExpected, g, w, p);
            assertClose("input gradient", giExpected, gi, 1e-5 * Math.sqrt(s[4] * s[5] * s[6]));
        }
        Tensor gw = Tensor.zeros(s[4], s[1], s[5], s[6]);
        Tensor gwExpected = Tensor.zeros(s[4], s[1], s[5], s[6]);
        ImplicitConv.backwardWeight(gw, g, x, p);
        Im2colConv.backwardWeight(gwExpected, g, x, p);
        assertClose("weight gradient", gwExpected, gw, 1e-5 * Math.sqrt(s[0] * oh * ow));
        Tensor gwWithBias = Tensor.zeros(s[4], s[1], s[5], s[6]);
        Tensor gb = Tensor.full(new int[] {1, s[4], 1, 1}, Float.NaN);
        ImplicitConv.backwardWeight(gwWithBias, gb, g, x, p);
        assertArrayEquals(gw.toFloatArray(), gwWithBias.toFloatArray(), 0f, "summing the bias gradient changed the weight gradient");
        assertClose("bias gradient", g.sum(new int[] {0, 2, 3}, true), gb, 1e-5 * Math.sqrt(s[0] * oh * ow));
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void nonFiniteInputGivesTheExactWeightGradient() {
        // With 3×3 taps and padding 1 a row is 6 wide; the thrown-away column 5 at tap j = 2 reads
        // the next row's first real pixel, where the Inf is. Only im2col's sums say which taps see it.
        Tensor x = Tensor.ones(1, 1, 4, 4);
        x.narrow(2, 1, 1).narrow(3, 0, 1).fill_(Float.POSITIVE_INFINITY);
        float[] gw = weightGradientLikeIm2col(x, Tensor.ones(1, 1, 4, 4));
        assertTrue(Float.isFinite(gw[2]), "tap (0, 2) never reaches column 0");
        // The same with the filters on the lanes.
        Tensor y = Tensor.ones(2, 2, 5, 5);
        y.narrow(2, 2, 1).narrow(3, 0, 1).fill_(Float.NEGATIVE_INFINITY);
        weightGradientLikeIm2col(y, Tensor.ones(2, 32, 5, 5));
    }

    /** The 3×3, padding-1 weight gradient of x for output gradient g, checked equal to im2col's, NaN for NaN. */
    private static float[] weightGradientLikeIm2col(Tensor x, Tensor g) {
        Conv2dParams p = params(3, 3, 1, 1, 1);
        Tensor gw = Tensor.zeros(g.size(1), x.size(1), 3, 3);
        Tensor expected = Tensor.zeros(g.size(1), x.size(1), 3, 3);
        ImplicitConv.backwardWeight(gw, g, x, p);
        Im2colConv.backwardWeight(expected, g, x, p);
        assertArrayEquals(expected.toFloatArray(), gw.toFloatArray(), 0f);
        return gw.toFloatArray();
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Cortado.manualSeed(3);
        bitIdentical(Tensor.randn(5, 3, 19, 23), Tensor.randn(4, 3, 5, 5), 2);
        bitIdentical(Tensor.randn(11, 3, 9, 9), Tensor.randn(32, 3, 3, 3), 1);
    }

    private void bitIdentical(Tensor x, Tensor w, int padding) {
        float[][] ref = null;
        Tensor b = Tensor.randn(w.size(0));
        for (int t = 1; t <= 3; t++) {
            Cortado.setNumThreads(t);
            Tensor xi = x.detach().requiresGrad_(true);
            Tensor wi = w.detach().requiresGrad_(true);
            Tensor bi = b.detach().requiresGrad_(true);
            Tensor y = Convolution.conv2d(xi, wi, bi, ConvOptions.DEFAULT.padding(padding));
            y.mul(y).sum().backward();
            float[][] got = {y.toFloatArray(), xi.grad().toFloatArray(), wi.grad().toFloatArray(), bi.grad().toFloatArray()};
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
