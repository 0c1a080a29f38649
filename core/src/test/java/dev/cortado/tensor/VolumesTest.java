package dev.cortado.tensor;

import dev.cortado.testing.Inputs;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static dev.cortado.testing.Inputs.waveLeaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** conv3d, conv_transpose3d, max_pool3d and avg_pool3d against sums PyTorch 1.13 prints: y, and each input's gradient (for a wave) dotted with a wave. */
class VolumesTest extends OnReference {
    @Test
    void conv3dMatchesPyTorch() {
        Tensor x = waveLeaf(2 * 4 * 5 * 6 * 7, 0.37, false, 2, 4, 5, 6, 7);
        Tensor w = waveLeaf(6 * 2 * 3 * 2 * 3, 0.53, true, 6, 2, 3, 2, 3);
        Tensor b = Tensor.arange(0.0, 6.0, 1).mul(0.1).sub(0.2).requiresGrad_(true);
        assertWaveSums("strided, padded, dilated, grouped", () -> Volumes.conv3d(x, w, b, new int[] {2, 1, 2}, new int[] {1, 0, 1}, new int[] {1, 2, 1}, 2),
                new Tensor[] {x, w, b}, new int[] {2, 6, 3, 4, 4}, 37.19474792480469, 1.8296442031860352, -0.021851062774658203, 49.6694450378418);
        Tensor u = waveLeaf(3 * 5 * 6 * 7, 0.37, false, 3, 5, 6, 7);
        Tensor v = waveLeaf(2 * 3 * 2 * 2 * 2, 0.53, true, 2, 3, 2, 2, 2);
        int[] ones = {1, 1, 1};
        assertWaveSums("unbatched", () -> Volumes.conv3d(u, v, null, ones, new int[3], ones, 1), new Tensor[] {u, v}, new int[] {2, 4, 5, 6},
                0.1309814453125, 23.892297744750977, 35.35841369628906);
        check(in -> Volumes.conv3d(in[0], in[1], in[2], new int[] {1, 2, 1}, new int[] {1, 1, 0}, ones, 1), Tensor.randn(1, 2, 3, 3, 4),
                Tensor.randn(2, 2, 2, 2, 2), Tensor.randn(2));
    }

    @Test
    void conv3dSamePaddingMatchesPyTorch() {
        Tensor x = waveLeaf(2 * 4 * 5 * 6 * 7, 0.37, false, 2, 4, 5, 6, 7);
        Tensor w = waveLeaf(6 * 4 * 2 * 3 * 4, 0.53, true, 6, 4, 2, 3, 4);
        int[] ones = {1, 1, 1};
        int[] dilation = {2, 1, 1};
        Tensor y = Volumes.conv3d(x, w, null, ones, "same", dilation, 1);
        assertArrayEquals(new int[] {2, 6, 5, 6, 7}, y.shape());
        // The odd extra slice of each dim at the end, as PyTorch pads it.
        Tensor padded = Volumes.conv3d(x.detach().pad(new int[] {1, 2, 1, 1, 1, 1}, PadMode.CONSTANT, 0), w.detach(), null, ones, new int[3], dilation, 1);
        Inputs.assertClose("same is the explicitly padded convolution", y.detach(), padded, 1e-6);
        y.mul(wave(y.numel(), 0.11, false, y.shape())).sum().backward();
        // PyTorch's sum, 0.56, cancels terms of about 10: its last digits are rounding.
        assertEquals(0.5616073608398438, y.sum().item(), 2e-4);
        assertEquals(11.121742248535156, x.grad().mul(wave(x.numel(), 0.77, true, x.shape())).sum().item(), 2e-4);
        assertEquals(-0.08043074607849121, w.grad().mul(wave(w.numel(), 0.77, true, w.shape())).sum().item(), 2e-4);
        assertMessage(() -> Volumes.conv3d(x, w, null, new int[] {2, 1, 1}, "same", ones, 1),
                "conv3d: padding=\"same\" is not supported for strided convolutions (stride [2, 1, 1])");
        assertMessage(() -> Volumes.conv3d(x, w, null, ones, "full", ones, 1), "conv3d: padding must be \"same\", \"valid\" or integers, got \"full\"");
    }

    @Test
    void convTranspose3dMatchesPyTorch() {
        Tensor x = waveLeaf(2 * 4 * 3 * 4 * 5, 0.37, false, 2, 4, 3, 4, 5);
        Tensor w = waveLeaf(4 * 3 * 3 * 2 * 3, 0.53, true, 4, 3, 3, 2, 3);
        Tensor b = Tensor.arange(0.0, 6.0, 1).mul(0.1).sub(0.2).requiresGrad_(true);
        assertWaveSums("strided, padded, output-padded, grouped, dilated", () -> Volumes.convTranspose3d(x, w, b, new int[] {2, 1, 2}, new int[] {1, 0, 1},
                new int[] {1, 0, 1}, 2, new int[] {1, 2, 1}), new Tensor[] {x, w, b}, new int[] {2, 6, 6, 6, 10}, 204.52838134765625,
                8.383316040039062, -80.36760711669922, 8.18525505065918);
        Tensor u = waveLeaf(3 * 4 * 3 * 3, 0.37, false, 3, 4, 3, 3);
        Tensor v = waveLeaf(3 * 2 * 2 * 2 * 2, 0.53, true, 3, 2, 2, 2, 2);
        int[] ones = {1, 1, 1};
        assertWaveSums("unbatched", () -> Volumes.convTranspose3d(u, v, null, ones, new int[3], new int[3], 1, ones), new Tensor[] {u, v},
                new int[] {2, 5, 4, 4}, -1.287959098815918, -11.42029094696045, 2.1980795860290527);
        Tensor p = waveLeaf(2 * 3 * 3 * 3, 0.37, false, 1, 2, 3, 3, 3);
        Tensor q = waveLeaf(2 * 3 * 3 * 3 * 3, 0.53, true, 2, 3, 3, 3, 3);
        assertWaveSums("output padding past the padding, stride 3", () -> Volumes.convTranspose3d(p, q, null, new int[] {3, 3, 3}, new int[] {0, 1, 0},
                new int[] {2, 1, 1}, 1, ones), new Tensor[] {p, q}, new int[] {1, 3, 11, 8, 10}, -6.486116886138916, 14.017195701599121,
                0.6035948991775513);
        check(in -> Volumes.convTranspose3d(in[0], in[1], in[2], new int[] {2, 1, 1}, new int[] {1, 0, 1}, new int[] {1, 0, 0}, 1, ones),
                Tensor.randn(1, 2, 2, 3, 2), Tensor.randn(2, 2, 2, 2, 3), Tensor.randn(2));
        Tensor x4 = Tensor.zeros(1, 4, 3, 3, 3);
        Tensor w4 = Tensor.zeros(4, 2, 2, 2, 2);
        assertMessage(() -> Volumes.convTranspose3d(x4, w4, null, new int[] {2, 2, 2}, new int[3], new int[] {2, 0, 0}, 1, ones),
                "conv_transpose3d: stride and dilation must be positive, padding non-negative and output padding non-negative and smaller than "
                        + "either stride or dilation, got stride [2, 2, 2], padding [0, 0, 0], output padding [2, 0, 0], dilation [1, 1, 1]");
        assertMessage(() -> Volumes.convTranspose3d(x4, Tensor.zeros(3, 2, 2, 2, 2), null, ones, new int[3], new int[3], 1, ones),
                "conv_transpose3d: input (1, 4, 3, 3, 3) must have the weight's 3 input channels");
        assertMessage(() -> Volumes.convTranspose3d(x4, w4, Tensor.zeros(3), ones, new int[3], new int[3], 1, ones),
                "conv_transpose3d: input (1, 4, 3, 3, 3) must have the weight's 4 input channels, which groups 1 divides, and a bias 2 values");
        assertMessage(() -> Volumes.convTranspose3d(x4, w4, null, ones, new int[] {2, 0, 0}, new int[3], 1, ones),
                "conv_transpose3d: input (1, 4, 3, 3, 3) with weight (4, 2, 2, 2, 2) and padding [2, 0, 0] gives an output depth of 0");
        assertMessage(() -> Volumes.convTranspose3d(x4, w4, null, ones, new int[3], new int[2], 1, ones),
                "conv_transpose3d: output padding takes 3 values (depth, height, width), got [0, 0]");
        assertMessage(() -> Volumes.convTranspose3d(Tensor.zeros(4, 3, 3), w4, null, ones, new int[3], new int[3], 1, ones),
                "conv_transpose3d: expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input and a 5-d weight");
    }

    @Test
    void poolsMatchPyTorch() {
        Tensor x = waveLeaf(2 * 3 * 7 * 6 * 9, 0.37, false, 2, 3, 7, 6, 9);
        assertWaveSums("max, ceil mode, dilated", () -> Volumes.maxPool3d(x, new int[] {3, 2, 3}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, new int[] {1, 1, 2},
                true), new Tensor[] {x}, new int[] {2, 3, 4, 4, 4}, 332.263916015625, -13.533655166625977);
        Tensor y = waveLeaf(2 * 3 * 7 * 6 * 9, 0.37, false, 2, 3, 7, 6, 9);
        assertWaveSums("average, ceil mode, padding not counted", () -> Volumes.avgPool3d(y, new int[] {3, 2, 3}, new int[] {2, 1, 2}, new int[] {1, 1, 0}, true,
                false), new Tensor[] {y}, new int[] {2, 3, 4, 7, 4}, 3.806955337524414, 0.002197563648223877);
        Tensor z = waveLeaf(2 * 3 * 7 * 6 * 9, 0.37, false, 2, 3, 7, 6, 9);
        assertWaveSums("average, padding counted", () -> Volumes.avgPool3d(z, new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[] {1, 1, 1}, false, true),
                new Tensor[] {z}, new int[] {2, 3, 4, 4, 5}, 0.6688727140426636, 0.6241132020950317);
    }

    @Test
    void badArgumentsAreNamed() {
        int[] ones = {1, 1, 1};
        assertMessage(() -> Volumes.conv3d(Tensor.ones(1, 3, 4, 4, 4), Tensor.ones(2, 2, 2, 2, 2), null, ones, new int[3], ones, 1),
                "conv3d: input (1, 3, 4, 4, 4) has 3 channels, weight (2, 2, 2, 2, 2) with groups=1 expects 2");
        assertMessage(() -> Volumes.conv3d(Tensor.ones(1, 2, 1, 4, 4), Tensor.ones(2, 2, 2, 2, 2), null, ones, new int[3], ones, 1),
                "conv3d: input (1, 2, 1, 4, 4) padded to (1, 4, 4) is smaller than the dilated kernel");
        assertMessage(() -> Volumes.conv3d(Tensor.ones(1, 2, 4, 4), Tensor.ones(2, 2, 2, 2, 2), null, new int[] {1, 1}, new int[3], ones, 1),
                "conv3d: kernel size, stride, padding and dilation each take 3 values");
        assertMessage(() -> Volumes.maxPool3d(Tensor.ones(1, 1, 2, 4, 4), new int[] {3, 2, 2}, new int[] {3, 2, 2}, new int[3], ones, false),
                "max_pool3d: input (1, 1, 2, 4, 4) with padding [0, 0, 0] is smaller than the kernel [3, 2, 2]");
        assertMessage(() -> Volumes.avgPool3d(Tensor.ones(1, 1, 4, 4, 4), new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[] {2, 0, 0}, false, true),
                "avg_pool3d: kernel size, stride and dilation must be positive and padding at most half the kernel size");
        assertMessage(() -> Volumes.maxPool3d(Tensor.ones(4, 4, 4), new int[] {2, 2, 2}, new int[] {2, 2, 2}, new int[3], ones, false),
                "max_pool3d: expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got (4, 4, 4)");
    }
}
