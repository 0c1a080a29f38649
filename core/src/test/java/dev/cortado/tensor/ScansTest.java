package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** cummax, cummin and logcumsumexp against what PyTorch 1.13 prints for the same calls. */
class ScansTest extends OnReference {
    private static final float NaN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void cummaxAndCumminKeepTheLaterTieAndStayAtNaN() {
        Tensor x = Tensor.fromArray(new float[] {1, 3, 3, 2, NaN, 5, NaN, 1, -INF, -INF, 0, -1, 4, 4, INF, 2}, 2, 8);
        ValuesIndices max = x.cummax(1);
        assertArrayEquals(new float[] {1, 3, 3, 3, NaN, NaN, NaN, NaN, -INF, -INF, 0, 0, 4, 4, INF, INF}, max.values().toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 2, 4, 4, 6, 6, 0, 1, 2, 2, 4, 5, 6, 6}, max.indices().toLongArray());
        ValuesIndices min = x.cummin(-1);
        assertArrayEquals(new float[] {1, 1, 1, 1, NaN, NaN, NaN, NaN, -INF, -INF, -INF, -INF, -INF, -INF, -INF, -INF}, min.values().toFloatArray());
        assertArrayEquals(new long[] {0, 0, 0, 0, 4, 4, 6, 6, 0, 1, 1, 1, 1, 1, 1, 1}, min.indices().toLongArray());

        Tensor ints = Tensor.fromArray(new long[] {3, 1, 3, 2, 5, 5, 0}, 7);
        assertArrayEquals(new long[] {3, 3, 3, 3, 5, 5, 5}, ints.cummax(0).values().toLongArray());
        assertArrayEquals(new long[] {0, 0, 2, 2, 4, 5, 5}, ints.cummax(0).indices().toLongArray());
        assertArrayEquals(new long[] {3, 1, 1, 1, 1, 1, 0}, ints.cummin(0).values().toLongArray());
        assertArrayEquals(new long[] {0, 1, 1, 1, 1, 1, 6}, ints.cummin(0).indices().toLongArray());

        ValuesIndices scalar = Tensor.scalar(2.5f).cummax(0);
        assertEquals(0, scalar.values().dim());
        assertEquals(0, scalar.indices().toLongArray()[0]);
        assertMessage(() -> x.cummax(2), "cummax", "dim");
    }

    @Test
    void cummaxGradientsGoToTheRunningMaxima() {
        Tensor z = Tensor.fromArray(new float[] {1, 3, 3, 2, 0.5f}, 5).requiresGrad_(true);
        Tensor v = z.cummax(0).values();
        assertEquals("CummaxBackward0", v.gradFn().name());
        v.mul(Tensor.arange(0, 5, 1).to(DType.FLOAT32)).sum().backward();
        assertArrayEquals(new float[] {0, 1, 9, 0, 0}, z.grad().toFloatArray());
        Tensor x3 = wave(60, 0.3, false, 3, 4, 5).mul(4).requiresGrad_(true);
        assertWaveSums("cummax", () -> x3.cummax(2).values(), new Tensor[] {x3}, new int[] {3, 4, 5}, 51.154449462890625, -1.625840425491333);
        Tensor x4 = wave(60, 0.3, false, 3, 4, 5).mul(4).requiresGrad_(true);
        assertWaveSums("cummin", () -> x4.cummin(0).values(), new Tensor[] {x4}, new int[] {3, 4, 5}, -16.49079704284668, 0.3385692238807678);
        check(in -> in[0].cummax(1).values().add(in[0].cummin(0).values()), Tensor.randn(4, 6));
    }

    @Test
    void logcumsumexpMatchesPyTorchWithInfinitiesAndLargeValues() {
        Tensor y = Tensor.fromArray(new float[] {-INF, -INF, 0, -1, 4, INF, 2, 1000, -1000, 3, NaN, 1, 2, 3}, 2, 7);
        assertArrayEquals(new float[] {-INF, -INF, 0f, 0.3132616877555847f, 4.024744987487793f, INF, INF, 1000, 1000, 1000, NaN, NaN, NaN, NaN},
                y.logcumsumexp(1).toFloatArray(), 2e-7f);
        Tensor w = Tensor.fromArray(new float[] {0.5f, -1, 2, -INF, 3, 1e-3f, -2.5f}, 1, 7).requiresGrad_(true);
        Tensor out = w.logcumsumexp(1);
        assertEquals("LogcumsumexpBackward0", out.gradFn().name());
        out.backward(Tensor.fromArray(new float[] {1, -2, 0.5f, 0, 3, -1, 2}, 1, 7));
        assertArrayEquals(new float[] {-0.3260071277618408f, -0.29587218165397644f, 1.3854774236679077f, 0f, 2.698381185531616f,
                0.03265181556344032f, 0.005369547288864851f}, w.grad().toFloatArray(), 2e-6f);
        Tensor x = wave(60, 0.3, false, 3, 4, 5).mul(4).requiresGrad_(true);
        assertWaveSums("logcumsumexp", () -> x.logcumsumexp(1), new Tensor[] {x}, new int[] {3, 4, 5}, 188.84658813476562, -4.520183563232422);
        Tensor x2 = wave(40, 0.7, true, 40).mul(30).requiresGrad_(true);
        assertWaveSums("logcumsumexp of a long line", () -> x2.logcumsumexp(0), new Tensor[] {x2}, new int[] {40}, 1234.7861328125,
                13.702837944030762);
        assertEquals(2.5, Tensor.scalar(2.5f).logcumsumexp(0).item(), 0);
        assertMessage(() -> Tensor.arange(3).logcumsumexp(0), "logcumsumexp: expected a float32 tensor, got int64");
        check(in -> in[0].logcumsumexp(1), Tensor.randn(3, 9));
    }
}
