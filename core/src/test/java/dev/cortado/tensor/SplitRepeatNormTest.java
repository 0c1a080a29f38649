package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** split, chunk, unbind, repeat, maximum, minimum and norm, with PyTorch 1.13's results for the same calls. */
class SplitRepeatNormTest extends OnReference {
    private static final double NAN = Double.NaN;

    private static long[][] parts(List<Tensor> ts) {
        return ts.stream().map(Tensor::toLongArray).toArray(long[][]::new);
    }

    @Test
    void splitAndChunkCutAsPyTorch() {
        Tensor x = Tensor.arange(10);
        assertArrayEquals(new long[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}}, parts(x.chunk(4, 0)));
        assertArrayEquals(new long[][] {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}}, parts(x.chunk(6, 0)));
        assertArrayEquals(new long[][] {{0, 1}, {2, 3}, {4, 5}}, parts(Tensor.arange(6).chunk(4, -1)));
        assertArrayEquals(new long[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}}, parts(x.split(3, 0)));
        assertArrayEquals(new long[][] {{0, 1}, {2, 3, 4, 5, 6, 7, 8, 9}}, parts(x.split(new int[] {2, 8}, 0)));
        assertEquals(3, Tensor.arange(0).chunk(3, 0).size());
        assertEquals(1, Tensor.arange(0).split(3, 0).size());
        List<Tensor> rows = Tensor.arange(6).reshape(2, 3).unbind(1);
        assertArrayEquals(new long[][] {{0, 3}, {1, 4}, {2, 5}}, parts(rows));
        Tensor a = Tensor.arange(12).to(DType.FLOAT32).reshape(3, 4);
        check(in -> {
            List<Tensor> c = in[0].chunk(3, 1); // ceil(4 / 3) = 2 columns each: two chunks, as in PyTorch
            assertEquals(2, c.size());
            List<Tensor> s = in[0].split(new int[] {1, 3}, 1);
            return c.get(0).mul(c.get(1)).sum(1).add(s.get(1).sum(1).mul(s.get(0).squeeze(1)));
        }, a);
        assertMessage(() -> x.chunk(0, 0), "chunk: chunks must be positive, got 0");
        assertMessage(() -> x.split(0, 0), "split: split_size must be positive", "dimension 0 of size 10");
        assertMessage(() -> x.split(new int[] {2, 7}, 0), "split: sizes [2, 7] must add up to 10");
        assertMessage(() -> Tensor.scalar(1).unbind(0), "unbind: cannot be applied to a 0-dim tensor");
    }

    @Test
    void repeatTilesAsPyTorch() {
        Tensor r = Tensor.arange(3).repeat(2, 2);
        assertArrayEquals(new int[] {2, 6}, r.shape());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}, r.toLongArray());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2}, Tensor.arange(3).repeat(2).toLongArray());
        assertArrayEquals(new int[] {0, 6}, Tensor.arange(3).repeat(0, 2).shape());
        check(in -> in[0].repeat(2, 1, 3).square(), Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3));
        assertMessage(() -> Tensor.arange(6).reshape(2, 3).repeat(2), "repeat: the number of repeats [2]", "(2, 3)");
        assertMessage(() -> Tensor.arange(3).repeat(-1), "repeat: repeats must be non-negative");
    }

    @Test
    void maximumAndMinimumWithNaNAndTies() {
        Tensor a = Tensor.fromArray(new double[] {1, NAN, 3, 2, 2}).requiresGrad_(true);
        Tensor b = Tensor.fromArray(new double[] {2, 1, NAN, 2, 1}).requiresGrad_(true);
        Tensor m = a.maximum(b);
        assertArrayEquals(new double[] {2, NAN, NAN, 2, 2}, m.toDoubleArray());
        assertEquals("MaximumBackward0", m.gradFn().name());
        m.sum().backward();
        assertArrayEquals(new double[] {0, 1, 1, 0.5, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 0.5, 0}, b.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, NAN, NAN, 2, 1}, a.detach().minimum(b.detach()).toDoubleArray());
        assertArrayEquals(new long[] {3, 2, 5}, Tensor.tensor(new long[] {3, -2, 5}).maximum(Tensor.tensor(new long[] {2})).toLongArray());
        Tensor x = dev.cortado.testing.Inputs.randn(3, Cortado.defaultDevice(), 3, 4);
        Tensor y = dev.cortado.testing.Inputs.randn(4, Cortado.defaultDevice(), 4);
        check(in -> in[0].maximum(in[1]), x, y);
        check(in -> in[0].minimum(in[1]), x, y);
        assertMessage(() -> a.maximum(Tensor.ones(3)), "maximum");
    }

    @Test
    void normsAsPyTorch() {
        assertEquals(5, Tensor.fromArray(new double[] {3, 4}).norm().item());
        assertEquals(7, Tensor.fromArray(new double[] {3, -4}).norm(1).item());
        assertEquals(4, Tensor.fromArray(new double[] {3, -4}).norm(Double.POSITIVE_INFINITY).item());
        Tensor rows = Tensor.tensor(new double[][] {{3, -4}, {1, 1}}).norm(2, new int[] {1}, false);
        assertArrayEquals(new double[] {5, Math.sqrt(2)}, rows.toDoubleArray(), 1e-12);
        assertArrayEquals(new int[] {2, 1}, Tensor.tensor(new double[][] {{3, -4}, {1, 1}}).norm(2, new int[] {1}, true).shape());
        Tensor z = Tensor.zeros(3).requiresGrad_(true);
        z.norm().backward();
        assertArrayEquals(new double[] {0, 0, 0}, z.grad().toDoubleArray(), "the 2-norm's gradient at 0 is 0, not NaN");
        Tensor t = Tensor.fromArray(new double[] {3, -3, 1}).requiresGrad_(true);
        t.norm(Double.POSITIVE_INFINITY).backward();
        assertArrayEquals(new double[] {0.5, -0.5, 0}, t.grad().toDoubleArray(), "ties share the infinity norm's gradient");
        Tensor x = dev.cortado.testing.Inputs.randn(5, Cortado.defaultDevice(), 3, 4);
        check(in -> in[0].norm(), x);
        check(in -> in[0].norm(1, new int[] {0}, true), x);
        check(in -> in[0].norm(3, new int[] {1}, false), x);
        check(in -> in[0].norm(Double.POSITIVE_INFINITY, new int[] {0, 1}, false), x);
        check(in -> in[0].norm(0.5), x);
        assertMessage(() -> x.norm(0), "norm: the order p must be positive");
        assertMessage(() -> Tensor.arange(3).norm(), "norm: input dtype must be floating point");
        assertMessage(() -> Tensor.zeros(2, 0).norm(Double.POSITIVE_INFINITY, new int[] {1}, false), "infinity norm of an empty dimension");
    }
}
