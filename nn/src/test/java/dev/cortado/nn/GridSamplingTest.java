package dev.cortado.nn;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** affine_grid and grid_sample in every mode, padding and corner alignment, against sums PyTorch 1.13 prints. */
class GridSamplingTest extends OnReference {
    private static Tensor wave(int n, double scale, boolean cos, double amplitude, int... shape) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // The angle as PyTorch forms it, a float32 product of arange and the scale.
            float angle = (float) i * (float) scale;
            v[i] = (float) amplitude * (float) (cos ? Math.cos(angle) : Math.sin(angle));
        }
        return Tensor.fromArray(v, shape);
    }

    /** mode, padding, alignCorners, then PyTorch's sum of y, of y·wt, of x.grad·x and of grid.grad·grid. */
    private static final Object[][] CASES = {
        {"bilinear", "zeros", false, -1.553641438484192, -0.5055645704269409, -0.5055646300315857, -1.784466028213501},
        {"bilinear", "zeros", true, 2.5181515216827393, -0.3440738916397095, -0.3440738022327423, 1.221560001373291},
        {"bilinear", "border", false, 4.271544456481934, 0.21845006942749023, 0.21844935417175293, 8.38682746887207},
        {"bilinear", "border", true, 4.541445732116699, -1.5789361000061035, -1.5789366960525513, 0.27671337127685547},
        {"bilinear", "reflection", false, 2.3622565269470215, 2.0031752586364746, 2.003175735473633, 16.92951774597168},
        {"bilinear", "reflection", true, 0.0037816762924194336, 2.8560471534729004, 2.8560471534729004, 4.243378162384033},
        {"nearest", "zeros", false, -2.523366689682007, -1.761200189590454, -1.7612000703811646, 0.0},
        {"nearest", "zeros", true, 2.4076147079467773, -0.18896949291229248, -0.18896955251693726, 0.0},
        {"nearest", "border", false, 4.662885665893555, 2.200723648071289, 2.200723648071289, 0.0},
        {"nearest", "border", true, 2.155052661895752, -2.474945068359375, -2.474945306777954, 0.0},
        {"nearest", "reflection", false, 4.662885665893555, 2.200723648071289, 2.200723648071289, 0.0},
        {"nearest", "reflection", true, -4.4434814453125, 6.3026275634765625, 6.3026275634765625, 0.0},
    };

    /**
     * On the CPU backend, in float32 as PyTorch computes: the double-precision reference can land
     * a nearest position on the other side of a half.
     */
    @Test
    void gridSampleMatchesPyTorchInEveryModePaddingAndAlignment() {
        for (Object[] c : CASES) {
            InterpolationMode mode = "bilinear".equals(c[0]) ? InterpolationMode.BILINEAR : InterpolationMode.NEAREST;
            GridPadding padding = GridPadding.valueOf(((String) c[1]).toUpperCase(java.util.Locale.ROOT));
            boolean align = (boolean) c[2];
            String what = c[0] + ", " + c[1] + (align ? ", align_corners" : "");
            Tensor x = wave(120, 0.7, false, 1, 2, 3, 4, 5).to(Device.CPU).requiresGrad_(true);
            Tensor g = wave(72, 1.3, true, 1.4, 2, 3, 6, 2).to(Device.CPU).requiresGrad_(true);
            Tensor y = F.gridSample(x, g, mode, padding, align);
            assertArrayEquals(new int[] {2, 3, 3, 6}, y.shape());
            Tensor wt = wave(y.numel(), 0.3, true, 1, y.shape()).to(Device.CPU);
            Tensor weighted = y.mul(wt).sum();
            weighted.backward();
            assertEquals((double) c[3], y.sum().item(), 2e-5, what + ": sum");
            assertEquals((double) c[4], weighted.item(), 2e-5, what + ": weighted sum");
            assertEquals((double) c[5], x.grad().mul(x.detach()).sum().item(), 2e-5, what + ": input gradient");
            // NEAREST reads positions only through rounding: the grid's gradient is zeros, as PyTorch's.
            double gridGrad = g.grad().mul(g.detach()).sum().item();
            if (mode == InterpolationMode.NEAREST) {
                assertEquals(0, g.grad().abs().sum().item(), 0, what + ": grid.grad is zeros");
            }
            assertEquals((double) c[6], gridGrad, 2e-4, what + ": grid gradient");
        }
    }

    @Test
    void affineGridMatchesPyTorchAndItsIdentitySamplesTheInputItself() {
        Tensor theta = Tensor.fromArray(new float[] {0.9f, -0.2f, 0.1f, 0.3f, 1.1f, -0.2f, 1, 0, 0.5f, 0, 1, 0}, 2, 2, 3).requiresGrad_(true);
        Tensor grid = F.affineGrid(theta, new int[] {2, 3, 4, 5}, false);
        assertArrayEquals(new int[] {2, 4, 5, 2}, grid.shape());
        Tensor w = Tensor.arange(0.0, grid.numel(), 1).reshape(grid.shape());
        grid.mul(w).sum().backward();
        assertEquals(8.0, grid.sum().item(), 1e-5);
        assertEquals(855.89990234375, grid.mul(w).sum().item(), 1e-3);
        assertArrayEquals(new double[] {32, 125, 380, 32, 125, 400, 32, 125, 1180, 32, 125, 1200}, theta.grad().toDoubleArray(), 1e-3);
        Tensor x = Tensor.randn(1, 2, 4, 5);
        Tensor identity = Tensor.fromArray(new float[] {1, 0, 0, 0, 1, 0}, 1, 2, 3);
        for (boolean align : new boolean[] {false, true}) {
            Tensor same = F.gridSample(x, F.affineGrid(identity, new int[] {1, 2, 4, 5}, align), InterpolationMode.BILINEAR, GridPadding.ZEROS, align);
            assertArrayEquals(x.toDoubleArray(), same.toDoubleArray(), 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesAwayFromPixelBoundaries() {
        Tensor x = Tensor.randn(1, 2, 3, 4);
        // Positions that stay clear of integer pixel positions and of the clipping bounds under eps.
        Tensor g = Tensor.fromArray(new float[] {-0.83f, 0.41f, 0.27f, -0.66f, 0.58f, 0.12f, -0.14f, 0.93f, 1.37f, -1.21f, 0.71f, 0.36f}, 1, 2, 3, 2);
        for (GridPadding padding : GridPadding.values()) {
            check(in -> F.gridSample(in[0], in[1], InterpolationMode.BILINEAR, padding, false), x, g);
        }
        check(in -> F.gridSample(in[0], F.affineGrid(in[1], new int[] {1, 2, 3, 3}, true), InterpolationMode.BILINEAR, GridPadding.BORDER, true),
                x, Tensor.fromArray(new float[] {0.83f, 0.21f, 0.07f, -0.16f, 0.91f, 0.13f}, 1, 2, 3));
    }

    @Test
    void badShapesAreNamedAndNaNPositionsGiveNaN() {
        assertMessage(() -> F.gridSample(Tensor.ones(1, 1, 2, 2), Tensor.ones(1, 2, 2), InterpolationMode.BILINEAR, GridPadding.ZEROS, false),
                "grid_sample: expected an input (N, C, H, W) and a grid (N, H_out, W_out, 2) with the same N, got (1, 1, 2, 2) and (1, 2, 2)");
        assertMessage(() -> F.affineGrid(Tensor.ones(1, 3, 3), new int[] {1, 1, 2, 2}, false), "affine_grid: expected a theta of shape (N, 2, 3)");
        Tensor y = F.gridSample(Tensor.arange(0.0, 4, 1).reshape(1, 1, 2, 2), Tensor.fromArray(new float[] {Float.NaN, 0, 0, 0}, 1, 1, 2, 2),
                InterpolationMode.BILINEAR, GridPadding.ZEROS, false);
        assertTrue(Double.isNaN(y.toDoubleArray()[0]));
        assertEquals(1.5, y.toDoubleArray()[1], 1e-6);
    }
}
