package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** inverse, det, slogdet, logdet and solve against what PyTorch 1.13's torch.linalg prints for the same calls. */
class LinearSolvesTest extends OnReference {
    private static Tensor matrices() {
        return wave(18, 0.7, false, 2, 3, 3).add(Tensor.eye(3).mul(2)).requiresGrad_(true);
    }

    @Test
    void matchPyTorch() {
        Tensor a = matrices();
        assertWaveSums("inv", a::inverse, new Tensor[] {a}, new int[] {2, 3, 3}, 2.996455192565918, -0.44273656606674194);
        Tensor b = matrices();
        assertWaveSums("det", b::det, new Tensor[] {b}, new int[] {2}, 12.67280387878418, 0.4070386290550232);
        Tensor c = matrices();
        assertArrayEquals(new float[] {1, 1}, c.slogdet()[0].toFloatArray());
        assertWaveSums("slogdet", () -> c.slogdet()[1], new Tensor[] {c}, new int[] {2}, 3.6926023960113525, 0.06395445764064789);
        Tensor d = matrices();
        Tensor rhs = wave(12, 0.4, true, 2, 3, 2).requiresGrad_(true);
        assertWaveSums("solve", () -> Tensor.solve(d, rhs), new Tensor[] {d, rhs}, new int[] {2, 3, 2}, -0.9960165619850159, 0.418023943901062,
                0.14500324428081512);
        Tensor e = matrices();
        Tensor vec = wave(3, 0.4, true, 3).requiresGrad_(true);
        assertWaveSums("solve for a vector", () -> Tensor.solve(e, vec), new Tensor[] {e, vec}, new int[] {2, 3}, 2.615788221359253,
                -0.23625461757183075, 0.49625325202941895);
    }

    @Test
    void singularAndEdgeCases() {
        Tensor s = Tensor.fromArray(new float[] {1, 2, 2, 4}, 2, 2).requiresGrad_(true);
        assertEquals(0, s.det().item(), 0);
        s.det().backward();
        assertArrayEquals(new float[] {4, -2, -2, 1}, s.grad().toFloatArray(), "a singular matrix's gradient is its cofactor matrix");
        assertEquals(1, Tensor.zeros(0, 0).det().item(), 0, "the empty product");
        Tensor m = Tensor.fromArray(new float[] {4, 2, 2, 3}, 2, 2).requiresGrad_(true);
        m.det().backward();
        assertArrayEquals(new float[] {3, -2, -2, 4}, m.grad().toFloatArray(), 1e-6f);
        Tensor neg = Tensor.fromArray(new float[] {-1, 0, 0, 2}, 2, 2);
        assertEquals(-1, neg.slogdet()[0].item(), 0);
        assertEquals(Math.log(2), neg.slogdet()[1].item(), 1e-6);
        assertTrue(Double.isNaN(neg.logdet().item()), "log of a negative det");
        assertMessage(() -> Tensor.fromArray(new float[] {1, 2, 2, 4}, 2, 2).inverse(),
                "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.");
        assertMessage(() -> Tensor.zeros(2, 3).inverse(), "linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices");
        assertMessage(() -> Tensor.solve(Tensor.eye(3), Tensor.zeros(2)),
                "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1)");
        assertMessage(() -> Tensor.solve(Tensor.zeros(2, 2), Tensor.ones(2)), "linalg.solve: The solver failed because the input matrix is singular.");
        assertMessage(() -> Tensor.arange(4).reshape(2, 2).det(), "linalg.det: expected a float32 tensor, got int64");
    }

    @Test
    void gradientsAgreeWithFiniteDifferences() {
        Tensor well = Tensor.randn(2, 3, 3).add(Tensor.eye(3).mul(3));
        check(in -> in[0].inverse(), well);
        check(in -> in[0].det(), well);
        check(in -> in[0].slogdet()[1], well);
        check(in -> Tensor.solve(in[0], in[1]), well, Tensor.randn(3, 2));
    }
}
