package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** cdist against PyTorch 1.13: every p it special-cases, and its matmul form for p = 2 past 25 rows. */
class CdistTest extends OnReference {
    @Test
    void matchesPyTorch() {
        Object[][] cases = {
            {4, 5, 2.0, 59.72850036621094, 2.229905128479004, 3.8716301918029785},
            {4, 5, 1.0, 95.73185729980469, 6.0957112312316895, 9.142065048217773},
            {4, 5, Double.POSITIVE_INFINITY, 44.82436752319336, 2.1539318561553955, 1.8921692371368408},
            {4, 5, 0.5, 271.2318420410156, 60.32490158081055, 48.00334930419922},
            {30, 6, 2.0, 544.7362060546875, -4.512056350708008, -1.6253931522369385},
        };
        for (Object[] c : cases) {
            int rows1 = (int) c[0];
            int rows2 = (int) c[1];
            double p = (double) c[2];
            String what = rows1 + "×" + rows2 + ", p " + p;
            Tensor a = wave(2 * rows1 * 3, 0.37, false, 2, rows1, 3).requiresGrad_(true);
            Tensor b = wave(2 * rows2 * 3, 0.61, true, 2, rows2, 3).requiresGrad_(true);
            Tensor y = Tensor.cdist(a, b, p);
            assertArrayEquals(new int[] {2, rows1, rows2}, y.shape(), what);
            y.mul(wave(y.numel(), 0.11, false, y.shape())).sum().backward();
            assertEquals((double) c[3], y.sum().item(), 2e-5 * (1 + Math.abs((double) c[3])), what + ": sum");
            assertEquals((double) c[4], a.grad().mul(wave(a.numel(), 0.77, true, a.shape())).sum().item(), 2e-5 * (1 + Math.abs((double) c[4])),
                    what + ": x1's gradient");
            assertEquals((double) c[5], b.grad().mul(wave(b.numel(), 0.31, true, b.shape())).sum().item(), 2e-5 * (1 + Math.abs((double) c[5])),
                    what + ": x2's gradient");
        }
        assertEquals(54.0, Tensor.cdist(wave(18, 0.37, false, 2, 3, 3), wave(18, 0.61, true, 2, 3, 3), 0).sum().item(), 0, "p 0 counts differing columns");
        Tensor a = wave(18, 0.37, false, 2, 3, 3).requiresGrad_(true);
        Tensor b = wave(12, 0.61, true, 2, 2, 3).requiresGrad_(true);
        Tensor counts = Tensor.cdist(a, b, 0);
        org.junit.jupiter.api.Assertions.assertEquals("CdistBackward0", counts.gradFn().name(), "p 0 keeps a graph, as PyTorch's");
        counts.sum().backward();
        assertEquals(0, a.grad().abs().sum().item(), 0, "with zero gradients");
        assertEquals(0, b.grad().abs().sum().item(), 0);
    }

    @Test
    void zeroDistancesHaveNoGradientAndErrorsAreNamed() {
        Tensor a = Tensor.tensor(new float[] {1, 2, 3, 4}).reshape(2, 2).requiresGrad_(true);
        Tensor y = Tensor.cdist(a, a.detach(), 2);
        y.sum().backward();
        assertClose("PyTorch's gradient, 0 from the zero distances", a.grad(),
                Tensor.fromArray(new double[] {-0.7071067690849304, -0.7071067690849304, 0.7071067690849304, 0.7071067690849304}, 2, 2), 1e-6);
        check(in -> Tensor.cdist(in[0], in[1], 3), Tensor.randn(3, 2), Tensor.randn(4, 2));
        assertMessage(() -> Tensor.cdist(Tensor.ones(2, 3), Tensor.ones(2, 4), 2), "cdist: X1 and X2 must have the same number of columns. X1: 3 X2: 4");
        assertMessage(() -> Tensor.cdist(Tensor.ones(2, 3), Tensor.ones(2, 3), -1), "cdist: only supports non-negative p values, got -1.0");
    }
}
