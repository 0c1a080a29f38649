package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Adaptive 3-d pooling against sums PyTorch 1.13 printed for the same inputs (max pools on halves, so ties pick PyTorch's element). */
class AdaptivePool3dTest extends OnReference {
    private static Tensor input(boolean halves, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        Tensor w = wave(n, 0.37, false, shape);
        return (halves ? w.mul(2).round().div(2) : w).requiresGrad_(true);
    }

    private static void check(String name, int[] shape, int[] out, int[] outShape, double avgSum, double avgGrad, double maxSum, double maxGrad) {
        Tensor a = input(false, shape);
        assertWaveSums("avg " + name, () -> new AdaptiveAvgPool3d(out[0], out[1], out[2]).forward(a), new Tensor[] {a}, outShape, avgSum, avgGrad);
        Tensor m = input(true, shape);
        assertWaveSums("max " + name, () -> new AdaptiveMaxPool3d(out[0], out[1], out[2]).forward(m), new Tensor[] {m}, outShape, maxSum, maxGrad);
    }

    @Test
    void evenUnevenGlobalAndUpsamplingBoxesArePyTorchs() {
        check("uneven", new int[] {2, 3, 5, 7, 6}, new int[] {2, 3, 4}, new int[] {2, 3, 2, 3, 4}, -0.01827036589384079, -0.05211079120635986,
                144.0, 1.107927680015564);
        check("even, unbatched", new int[] {3, 4, 4, 4}, new int[] {2, 2, 2}, new int[] {3, 2, 2, 2}, 0.39117932319641113, 0.12877047061920166,
                16.0, 1.559368371963501);
        check("global", new int[] {1, 2, 3, 5, 4}, new int[] {1, 1, 1}, new int[] {1, 2, 1, 1, 1}, 0.00044798851013183594,
                -0.0042741913348436356, 2.0, -0.033266402781009674);
        check("larger than the input", new int[] {1, 2, 3, 5, 4}, new int[] {3, 7, 2}, new int[] {1, 2, 3, 7, 2}, 0.013157933950424194,
                -0.621234655380249, 31.5, 3.995107412338257);
    }

    @Test
    void gradientsPassTheCheck() {
        Tensor x = wave(2 * 3 * 4 * 5, 0.61, true, 1, 2, 3, 4, 5);
        Gradcheck.check(in -> F.adaptiveAvgPool3d(in[0], 2, 3, 2), x);
        Gradcheck.check(in -> F.adaptiveMaxPool3d(in[0], 2, 3, 2), x);
    }

    @Test
    void reprsAndErrors() {
        assertEquals("AdaptiveAvgPool3d(output_size=2)", new AdaptiveAvgPool3d(2).toString());
        assertEquals("AdaptiveMaxPool3d(output_size=(1, 2, 3))", new AdaptiveMaxPool3d(1, 2, 3).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString(), "PyTorch shows the size as given");
        assertEquals("AdaptiveMaxPool2d(output_size=(1, 2))", new AdaptiveMaxPool2d(1, 2).toString());
        assertMessage(() -> F.adaptiveAvgPool3d(Tensor.ones(2, 3, 4), 1, 1, 1),
                "adaptive_avg_pool3d: expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got (2, 3, 4)");
        assertMessage(() -> new AdaptiveMaxPool3d(0, 1, 1).forward(Tensor.ones(1, 2, 3, 4)),
                "adaptive_max_pool3d: output size (0, 1, 1) must be positive and the input (1, 2, 3, 4) non-empty");
    }
}
