package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LPPool1d and LPPool2d against PyTorch 1.13's sums of outputs and gradients. */
class LpPoolTest extends OnReference {
    @Test
    void powerAveragePoolingMatchesPyTorch() {
        Tensor x = wave(2 * 3 * 7 * 9, 0.37, false, 2, 3, 7, 9).requiresGrad_(true);
        assertWaveSums("LPPool2d(2, 3, 2, ceil_mode=True)", () -> new LPPool2d(2, 3, 2, true).forward(x), new Tensor[] {x},
                new int[] {2, 3, 3, 4}, 145.79954528808594, 1.6856968402862549);
        Tensor x1 = wave(60, 0.29, true, 2, 3, 10).add(1.5).detach().requiresGrad_(true);
        assertWaveSums("lp_pool1d(3, 3, 2)", () -> F.lpPool1d(x1, 3, 3, 2, false), new Tensor[] {x1}, new int[] {2, 3, 4},
                50.994598388671875, 0.18314766883850098);
        // p = 1 keeps a negative window sum; p = 3 over negative inputs has no real root: NaN, as in PyTorch.
        Tensor neg = Tensor.fromArray(new float[] {-1, -2, -3, 5}, 1, 1, 2, 2);
        assertEquals(-1.0, F.lpPool2d(neg, 1, 2, 2, 2, 2, false).item(), 0);
        assertTrue(Double.isNaN(F.lpPool1d(Tensor.fromArray(new float[] {-1, -2}, 1, 1, 2), 3, 2, 2, false).item()));
        assertEquals("LPPool2d(norm_type=2.0, kernel_size=3, stride=2, ceil_mode=False)", new LPPool2d(2, 3, 2, false).toString());
        assertEquals("LPPool1d(norm_type=3.0, kernel_size=3, stride=None, ceil_mode=False)", new LPPool1d(3, 3).toString());
        assertMessage(() -> F.lpPool2d(x, 0, 2, 2, 2, 2, false), "lp_pool2d: norm_type must be finite and nonzero");
        assertMessage(() -> new LPPool2d(2, 9).forward(x), "avg_pool2d");
    }
}
