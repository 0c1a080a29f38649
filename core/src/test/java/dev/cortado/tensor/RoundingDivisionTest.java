package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * fmod, remainder, div's rounding modes, atan2 and hypot: gradients, node names, broadcasting.
 * PyTorch's values at the edges are checked on every backend by the backend contract.
 */
class RoundingDivisionTest extends OnReference {
    @Test
    void gradientsAgreeWithFiniteDifferences() {
        // Away from the jumps of fmod and remainder: |a| < 1.5 against divisors in [2, 3] of either sign.
        Tensor a = Tensor.rand(3, 4).mul(3).sub(1.5);
        Tensor b = Tensor.rand(4).add(2).mul(Tensor.fromArray(new float[] {1, -1, 1, -1}, 4));
        check(in -> in[0].fmod(in[1]), a, b);
        check(in -> in[0].remainder(in[1]), a, b);
        check(in -> in[0].atan2(in[1]), Tensor.randn(3, 4), Tensor.randn(3, 1));
        check(in -> in[0].hypot(in[1]), Tensor.randn(2, 3), Tensor.randn(3));
        check(in -> in[0].fmod(2.5).add(in[0].remainder(-4)), a);
    }

    @Test
    void broadcastGradientsAreSummedToEachShape() {
        Tensor a = Tensor.fromArray(new float[] {5.5f, -5.5f, 1, 7}, 2, 2).requiresGrad_(true);
        Tensor b = Tensor.fromArray(new float[] {2, -3}, 2).requiresGrad_(true);
        Tensor r = a.remainder(b);
        assertEquals("RemainderBackward1", r.gradFn().name());
        assertEquals("FmodBackward0", a.fmod(2).gradFn().name());
        assertEquals("DivBackward2", a.div(b, "trunc").gradFn().name());
        assertEquals("Atan2Backward0", a.atan2(b).gradFn().name());
        r.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1}, a.grad().toFloatArray());
        // -(floor(5.5/2) + floor(1/2)), -(floor(-5.5/-3) + floor(7/-3)) = -(2 + 0), -(1 - 3)
        assertArrayEquals(new float[] {-2, 2}, b.grad().toFloatArray());
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, 3).requiresGrad_(true);
        x.div(Tensor.ones(2, 1), "floor").sum().backward();
        assertArrayEquals(new float[] {0, 0, 0}, x.grad().toFloatArray(), "a rounded quotient's gradient is 0, in the input's shape");
        assertMessage(() -> x.fmod(Tensor.ones(2)), "fmod: shapes (3,) and (2,) cannot be broadcast");
        assertMessage(() -> x.div(Tensor.ones(2), "trunc"), "div: shapes (3,) and (2,) cannot be broadcast");
        assertMessage(() -> Tensor.arange(3).div(0, "trunc"), "div: integer division by zero");
    }
}
