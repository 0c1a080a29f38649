package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F(2×2, 3×3) against im2col + GEMM where its blocking has edges (odd planes, partial filter
 * blocks, tiles short of a vector), its refusal of non-finite values, and independence from the
 * thread count.
 */
class WinogradTest {
    private final int threads = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threads);
    }

    private static Conv2dParams params(int ph, int pw) {
        return new Conv2dParams(3, 3, 1, 1, ph, pw, 1, 1, 1);
    }

    @Test
    void servesWideThreeByThreeStrideOneLayers() {
        assertTrue(Winograd.applies(100, 100, 32, 32, params(1, 1)), "ThreeLayerConvNet, second layer");
        assertTrue(Winograd.applies(64, 64, 8, 8, params(1, 1)), "ResNet-20, last stage");
        assertTrue(Winograd.applies(64, 64, 8, 8, params(2, 0)), "padding 2: the input gradient's padding is 0");
        assertTrue(Winograd.applies(32, 32, 16, 16, params(1, 1)), "ResNet-20, middle stage: rows of whole half vectors of tiles");
        assertFalse(Winograd.applies(32, 64, 7, 7, params(1, 1)), "the 3-conv CNN's last layer: too few channels for gathered tiles");
        assertFalse(Winograd.applies(16, 16, 32, 32, params(1, 1)), "ResNet-20, first stage: too few channels");
        assertFalse(Winograd.applies(64, 16, 16, 16, params(1, 1)), "too few filters");
        assertFalse(Winograd.applies(64, 64, 8, 8, params(3, 3)), "padding 3: the input gradient's would be negative");
        assertFalse(Winograd.applies(64, 64, 8, 8, new Conv2dParams(3, 3, 2, 2, 1, 1, 1, 1, 1)), "stride 2");
        assertFalse(Winograd.applies(64, 64, 8, 8, new Conv2dParams(5, 5, 1, 1, 2, 2, 1, 1, 1)), "5×5");
        assertFalse(Winograd.applies(64, 64, 8, 8, new Conv2dParams(3, 3, 1, 1, 2, 2, 2, 2, 1)), "dilation");
        assertFalse(Winograd.applies(64, 64, 8, 8, new Conv2dParams(3, 3, 1, 1, 1, 1, 1, 1, 2)), "groups");
        assertFalse(Winograd.applies(512, 512, 256, 256, params(1, 1)), "a sample's transformed input too large");
    }

    /** n, cin, h, w, cout, ph, pw. */
    static Stream<int[]> shapes() {
        return Stream.of(
                new int[] {2, 64, 8, 8, 64, 1, 1},     // ResNet's last stage: 16 tiles, one vector
                new int[] {3, 32, 16, 16, 32, 1, 1},   // ResNet's middle stage: 64 tiles
                new int[] {2, 16, 14, 14, 32, 1, 1},   // the 3-conv CNN's second layer: 49 tiles
                new int[] {3, 32, 7, 7, 64, 1, 1},     // its third: odd planes
                new int[] {1, 5, 9, 13, 11, 1, 1},     // partial filter block, odd sizes
                new int[] {4, 3, 6, 5, 9, 0, 0},       // no padding
                new int[] {2, 7, 5, 8, 3, 2, 2},       // padding 2
                new int[] {1, 2, 3, 3, 1, 1, 0},       // one tile row, uneven padding
                new int[] {5, 9, 11, 4, 17, 0, 1},
                new int[] {2, 9, 32, 32, 13, 1, 1},    // rows of tiles in whole half vectors: no gathers or scatters
                new int[] {1, 4, 18, 18, 5, 0, 0},     // the same without padding
                new int[] {2, 3, 15, 15, 6, 1, 1},     // rows of whole half vectors in, an odd plane out
                new int[] {1, 2, 16, 9, 3, 1, 1});     // 16 wide, 9 high
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesIm2col(int[] s) {
        Cortado.manualSeed(s[0] * 31L + s[4]);
        Cortado.setNumThreads(Math.min(2, s[0]));
        Conv2dParams p = params(s[5], s[6]);
        int oh = s[2] + 2 * s[5] - 2, ow = s[3] + 2 * s[6] - 2;
        Tensor x = Tensor.randn(s[0], s[1], s[2], s[3]);
        Tensor w = Tensor.randn(s[4], s[1], 3, 3);
        Tensor bias = Tensor.randn(s[4]).reshape(1, s[4], 1, 1).expand(s[0], s[4], oh, ow);
        Tensor g = Tensor.randn(s[0], s[4], oh, ow);
        Tensor out = Tensor.full(new int[] {s[0], s[4], oh, ow}, Float.NaN);
        Tensor expected = Tensor.zeros(s[0], s[4], oh, ow);
        assertTrue(Winograd.forward(out, x, w, bias, p));
        Im2colConv.forward(expected, x, w, p);
        ImplicitConvTest.assertClose("forward", expected.add(bias), out, 2e-5 * Math.sqrt(9 * s[1]));
        Tensor gi = Tensor.full(new int[] {s[0], s[1], s[2], s[3]}, Float.NaN);
        Tensor giExpected = Tensor.zeros(s[0], s[1], s[2], s[3]);
        assertTrue(Winograd.backwardInput(gi, g, w, p));
        Im2colConv.backwardInput(giExpected, g, w, p);
        ImplicitConvTest.assertClose("input gradient", giExpected, gi, 2e-5 * Math.sqrt(9 * s[4]));
    }

    @Test
    void refusesNonFiniteInputsAndWeights() {
        Cortado.setNumThreads(2);
        Conv2dParams p = params(1, 1);
        Tensor x = Tensor.ones(2, 3, 6, 6);
        Tensor w = Tensor.ones(4, 3, 3, 3);
        Tensor out = Tensor.zeros(2, 4, 6, 6);
        assertTrue(Winograd.forward(out, x, w, null, p));
        x.narrow(0, 1, 1).narrow(2, 4, 1).narrow(3, 2, 1).fill_(Float.POSITIVE_INFINITY);
        assertFalse(Winograd.forward(out, x, w, null, p), "an infinity in the second sample");
        Tensor wide = Tensor.ones(2, 3, 16, 16);
        wide.narrow(0, 1, 1).narrow(1, 2, 1).narrow(2, 9, 1).narrow(3, 13, 1).fill_(Float.NEGATIVE_INFINITY);
        assertFalse(Winograd.forward(Tensor.zeros(2, 4, 16, 16), wide, w, null, p), "an infinity in a plane read by rows");
        Tensor nanWeight = Tensor.ones(4, 3, 3, 3);
        nanWeight.narrow(0, 3, 1).narrow(3, 2, 1).fill_(Float.NaN);
        assertFalse(Winograd.forward(out, Tensor.ones(2, 3, 6, 6), nanWeight, null, p), "a NaN weight");
        assertFalse(Winograd.backwardInput(Tensor.zeros(2, 3, 6, 6), Tensor.ones(2, 4, 6, 6), nanWeight, p), "a NaN weight, input gradient");
    }

    @Test
    void leavesBatchesSmallerThanTheThreadCountToTheImplicitGemm() {
        Cortado.setNumThreads(3);
        Tensor out = Tensor.full(new int[] {2, 4, 6, 6}, Float.NaN);
        assertFalse(Winograd.forward(out, Tensor.ones(2, 3, 6, 6), Tensor.ones(4, 3, 3, 3), null, params(1, 1)));
        assertTrue(Float.isNaN(out.toFloatArray()[0]), "nothing written");
        assertFalse(Winograd.backwardInput(Tensor.zeros(2, 3, 6, 6), Tensor.ones(2, 4, 6, 6), Tensor.ones(4, 3, 3, 3), params(1, 1)));
        Cortado.setNumThreads(2);
        assertTrue(Winograd.forward(out, Tensor.ones(2, 3, 6, 6), Tensor.ones(4, 3, 3, 3), null, params(1, 1)));
    }

    @Test
    void resultsAreBitIdenticalForAnyThreadCount() {
        Cortado.manualSeed(5);
        Tensor x = Tensor.randn(7, 16, 10, 10);
        Tensor w = Tensor.randn(24, 16, 3, 3);
        float[] ref = null;
        for (int t = 1; t <= 3; t++) {
            Cortado.setNumThreads(t);
            Tensor out = Tensor.zeros(7, 24, 10, 10);
            assertTrue(Winograd.forward(out, x, w, null, params(1, 1)));
            if (ref == null) {
                ref = out.toFloatArray();
            } else {
                assertArrayEquals(ref, out.toFloatArray(), 0f, t + " threads");
            }
        }
    }
}
