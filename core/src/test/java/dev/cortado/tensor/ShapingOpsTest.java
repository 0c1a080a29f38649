package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** unfold, roll, tril/triu, outer, movedim and logsumexp against what PyTorch 1.13 prints for the same calls. */
class ShapingOpsTest extends OnReference {
    private static void values(Tensor t, double tol, double... expected) {
        double[] got = t.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++) {
            boolean bothNaN = Double.isNaN(expected[i]) && Double.isNaN(got[i]);
            if (!bothNaN && !(expected[i] == got[i])) {
                assertEquals(expected[i], got[i], tol * (1 + Math.abs(expected[i])), "element " + i);
            }
        }
    }

    private static Tensor arange(int n, int... shape) {
        return Tensor.arange(0.0, n, 1).reshape(shape);
    }

    @Test
    void unfoldIsAViewOfOverlappingWindowsWhoseGradientsAddUp() {
        Tensor x = arange(10, 2, 5).requiresGrad_(true);
        Tensor u = x.unfold(1, 3, 2);
        assertArrayEquals(new int[] {2, 2, 3}, u.shape());
        assertArrayEquals(new int[] {5, 2, 1}, u.strides());
        values(u, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 7, 8, 9);
        u.mul(arange(12, 2, 2, 3)).sum().backward();
        values(x.grad(), 0, 0, 1, 5, 4, 5, 6, 7, 17, 10, 11);
        assertArrayEquals(new int[] {4, 2}, arange(5, 5).unfold(0, 2, 1).shape());
        assertArrayEquals(new int[] {3, 0}, arange(5, 5).unfold(0, 0, 2).shape());
        values(Tensor.scalar(3).unfold(0, 1, 1), 0, 3);
        assertMessage(() -> arange(5, 5).unfold(0, 6, 1), "unfold: maximum size for tensor at dimension 0 is 5 but size is 6");
        assertMessage(() -> arange(5, 5).unfold(0, 2, 0), "unfold: step is 0 but must be > 0");
        check(in -> in[0].unfold(1, 3, 1).unfold(0, 2, 1), arange(20, 4, 5));
    }

    @Test
    void rollWrapsAroundAlongEachDimOrTheFlattenedTensor() {
        Tensor x = arange(12, 3, 4);
        values(x.roll(1, 1), 0, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10);
        values(x.roll(new int[] {-1, 2}, new int[] {0, 1}), 0, 6, 7, 4, 5, 10, 11, 8, 9, 2, 3, 0, 1);
        values(x.roll(new int[] {5}, new int[0]), 0, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6);
        values(x.roll(-13, 1), 0, x.roll(-1, 1).toDoubleArray());
        assertMessage(() -> x.roll(new int[] {1, 2}, new int[] {0}), "roll: shifts and dims must align, got 2 shifts and 1 dims");
        assertMessage(() -> x.roll(1, 2), "roll: dimension out of range");
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).roll(2, 0).shape());
        check(in -> in[0].roll(new int[] {1, -2}, new int[] {0, 1}), arange(12, 3, 4));
    }

    @Test
    void trilAndTriuKeepATriangleFromTheGivenDiagonal() {
        Tensor m = Tensor.arange(1.0, 13, 1).reshape(3, 4);
        values(m.tril(), 0, 1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0);
        values(m.tril(-1), 0, 0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0);
        values(m.triu(1), 0, 0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12);
        values(m.triu(-1), 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12);
        values(Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY, Float.NaN, 1, 2}, 2, 2).tril(), 0, Double.POSITIVE_INFINITY, 0, 1, 2);
        assertArrayEquals(new long[] {1, 0, 3, 4}, Tensor.fromArray(new long[] {1, 2, 3, 4}, 2, 2).tril().toLongArray());
        assertArrayEquals(new int[] {2, 3, 4}, Tensor.ones(2, 3, 4).triu().shape());
        assertMessage(() -> Tensor.ones(3).tril(), "tril: input tensor must have at least 2 dimensions, got shape (3,)");
        check(in -> in[0].triu(1), arange(12, 2, 2, 3));
    }

    @Test
    void outerAndMovedim() {
        values(Tensor.fromArray(new float[] {1, 2}, 2).outer(Tensor.fromArray(new float[] {3, 4, 5}, 3)), 0, 3, 4, 5, 6, 8, 10);
        assertMessage(() -> Tensor.ones(2, 2).outer(Tensor.ones(2)), "outer: expected two 1-D tensors, got shapes (2, 2) and (2,)");
        Tensor t = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 4, 5, 3}, t.movedim(1, 3).shape());
        assertArrayEquals(new int[] {3, 4, 2, 5}, t.movedim(new int[] {0, 1}, new int[] {2, 0}).shape());
        assertArrayEquals(new int[] {5, 2, 3, 4}, t.movedim(-1, 0).shape());
        assertArrayEquals(new int[] {2, 5, 4, 3}, t.swapaxes(1, 3).shape());
        Tensor a = arange(24, 2, 3, 4);
        values(a.movedim(0, 2).contiguous(), 0, a.permute(1, 2, 0).contiguous().toDoubleArray());
        assertMessage(() -> t.movedim(new int[] {0, 0}, new int[] {1, 2}), "movedim: repeated dim 0 in source");
        assertArrayEquals(new int[0], Tensor.scalar(2).movedim(0, -1).shape());
        assertMessage(() -> Tensor.scalar(2).size(0), "size: dimension specified as 0 but tensor has no dimensions");
        assertMessage(() -> Tensor.scalar(2).stride(-1), "stride: dimension specified as -1 but tensor has no dimensions");
        assertMessage(() -> Tensor.scalar(2).movedim(1, 0), "movedim: dimension out of range");
        assertMessage(() -> t.movedim(new int[] {0, 1}, new int[] {2}), "movedim: source [0, 1] and destination [2] must name the same number of dims");
        check(in -> in[0].movedim(new int[] {2, 0}, new int[] {0, 1}), arange(24, 2, 3, 4));
    }

    @Test
    void logsumexpIsStableAndItsGradientIsTheSoftmax() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 1000, 1000, -1000, -inf, -inf, -inf}, 3, 3).requiresGrad_(true);
        Tensor l = a.logsumexp(1, false);
        values(l, 1e-6, 3.4076058864593506, 1000.6931762695312, Double.NEGATIVE_INFINITY);
        l.narrow(0, 0, 2).sum().backward();
        values(a.grad(), 1e-5, 0.09003058075904846, 0.24472849071025848, 0.665241003036499, 0.5, 0.5, 0, Double.NaN, Double.NaN, Double.NaN);
        Tensor b = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        values(b.logsumexp(new int[] {0, 1}, false), 1e-6, 4.440189838409424);
        values(b.logsumexp(new int[0], false), 1e-6, 4.440189838409424);
        Tensor kept = b.logsumexp(0, true);
        assertArrayEquals(new int[] {1, 2}, kept.shape());
        values(kept, 1e-6, 3.1269280910491943, 4.126927852630615);
        values(Tensor.fromArray(new float[] {inf, 1}, 2).logsumexp(0, false), 0, Double.POSITIVE_INFINITY);
        values(Tensor.zeros(2, 0).logsumexp(1, false), 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertMessage(() -> Tensor.fromArray(new long[] {1}, 1).logsumexp(0, false), "logsumexp: input dtype must be floating point");
        check(in -> in[0].logsumexp(new int[] {0, 2}, true), arange(24, 2, 3, 4).mul(0.3));
    }
}
