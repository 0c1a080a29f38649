package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static dev.cortado.testing.Inputs.waveLeaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * addmm, baddbmm, kron, rot90, logit, xlogy, nansum and nanmean against sums PyTorch 1.13 prints:
 * y, and each input's gradient (for a wave) dotted with a wave.
 */
class CompositesTest extends OnReference {
    @Test
    void matrixProductsWithAnAddendAndKroneckerMatchPyTorch() {
        Tensor a = waveLeaf(12, 0.3, false, 3, 4);
        Tensor b = waveLeaf(20, 0.5, true, 4, 5);
        Tensor c = waveLeaf(5, 0.7, false, 5);
        assertWaveSums("addmm", () -> c.addmm(a, b, 0.5, 2), new Tensor[] {c, a, b}, new int[] {3, 5}, 4.041600227355957, -0.4996248185634613,
                1.017587661743164, 0.9017822742462158);
        Tensor p = waveLeaf(24, 0.3, false, 2, 3, 4);
        Tensor q = waveLeaf(40, 0.5, true, 2, 4, 5);
        Tensor r = waveLeaf(15, 0.7, false, 3, 5);
        assertWaveSums("baddbmm", () -> r.baddbmm(p, q, -1.5, 0.25), new Tensor[] {r, p, q}, new int[] {2, 3, 5}, -7.957921504974365, 1.3751482963562012,
                0.23039610683918, 0.7321946620941162);
        Tensor k1 = waveLeaf(6, 0.3, false, 2, 3);
        Tensor k2 = waveLeaf(8, 0.5, true, 2, 2, 2);
        assertWaveSums("kron", () -> k1.kron(k2), new Tensor[] {k1, k2}, new int[] {2, 4, 6}, -2.3407509326934814, -11.25083065032959, 5.816952705383301);
        Tensor nan = Tensor.fromArray(new float[] {Float.NaN}, 1);
        assertEquals(2, nan.addmm(Tensor.ones(1, 2), Tensor.ones(2, 1), 0, 1).item(), 0, "beta 0 leaves input's NaN out");
        assertMessage(() -> Tensor.zeros(3).addmm(Tensor.zeros(3, 4), Tensor.zeros(5, 2)), "matmul");
        assertMessage(() -> Tensor.zeros(4, 5).addmm(Tensor.zeros(3, 4), Tensor.zeros(4, 5)), "addmm: shapes (4, 5) and (3, 5) cannot be broadcast");
        assertMessage(() -> Tensor.zeros(2, 3, 5).addmm(Tensor.zeros(3, 4), Tensor.zeros(4, 5)),
                "addmm: input (2, 3, 5) does not broadcast to the product's shape (3, 5)");
        check(in -> in[0].addmm(in[1], in[2], 0.5, -2), Tensor.randn(3, 1), Tensor.randn(3, 2), Tensor.randn(2, 4));
        check(in -> in[0].kron(in[1]), Tensor.randn(2, 2), Tensor.randn(3));
    }

    @Test
    void rot90MatchesPyTorch() {
        Tensor x = waveLeaf(24, 0.3, false, 2, 3, 4);
        assertWaveSums("k 1 in dims (1, 2)", () -> x.rot90(1, 1, 2), new Tensor[] {x}, new int[] {2, 4, 3}, 0.8988561630249023, 0.22293180227279663);
        Tensor y = waveLeaf(24, 0.3, false, 2, 3, 4);
        assertWaveSums("k -1 in dims (2, 0)", () -> y.rot90(-1, 2, 0), new Tensor[] {y}, new int[] {4, 3, 2}, 0.8988561630249023, -0.1480303704738617);
        assertArrayEquals(new float[] {0.9974949955940247f, 0.9320390820503235f, 0.7833269238471985f, 0.5646424889564514f, 0.29552021622657776f, 0f},
                wave(6, 0.3, false, 2, 3).rot90(2, 0, 1).toFloatArray(), 1e-7f, "a half turn");
        Tensor four = wave(6, 0.3, false, 2, 3);
        Tensor same = four.rot90(4, 0, 1);
        assertArrayEquals(four.toFloatArray(), same.toFloatArray());
        assertTrue(same.storage() != four.storage(), "a new tensor, as PyTorch's");
        assertMessage(() -> four.rot90(1, 0, 0), "rot90: expected rotation dims to be different, but got dim0 = 0 and dim1 = 0");
        assertMessage(() -> Tensor.zeros(3).rot90(1, 0, 1), "rot90: expected total dims >= 2, but got total dims = 1");
    }

    @Test
    void logitXlogyAndNanReductionsMatchPyTorch() {
        Tensor p = wave(10, 0.3, false, 10).add(1).div(2).requiresGrad_(true);
        assertWaveSums("logit", p::logit, new Tensor[] {p}, new int[] {10}, 23.515254974365234, -320.7660827636719);
        Tensor q = wave(10, 0.3, false, 10).add(1).div(2).requiresGrad_(true);
        assertWaveSums("logit, eps 0.2", () -> q.logit(0.2), new Tensor[] {q}, new int[] {10}, 11.119592666625977, 3.649848461151123);
        Tensor x = Tensor.fromArray(new float[] {0, 1.5f, -2, 0, 3}, 5).requiresGrad_(true);
        Tensor y = Tensor.fromArray(new float[] {2, 0.5f, 3, 0.7f, 4}, 5).requiresGrad_(true);
        // PyTorch's gradient for x is log(y) also where x is 0.
        assertWaveSums("xlogy", () -> x.xlogy(y), new Tensor[] {x, y}, new int[] {5}, 0.9219377040863037, -0.5587382912635803, -0.08689553290605545);
        float[] zeroLogs = Tensor.zeros(2).xlogy(Tensor.fromArray(new float[] {0, Float.NaN}, 2)).toFloatArray();
        assertEquals(0, zeroLogs[0], 0, "0 · log 0 is 0");
        assertTrue(Float.isNaN(zeroLogs[1]), "0 · log NaN is NaN");
        Tensor x0 = Tensor.fromArray(new float[] {0, 0, 1, 0}, 4).requiresGrad_(true);
        Tensor y0 = Tensor.fromArray(new float[] {0, 2, 0, Float.POSITIVE_INFINITY}, 4).requiresGrad_(true);
        x0.xlogy(y0).sum().backward();
        assertArrayEquals(new float[] {0, (float) Math.log(2), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, x0.grad().toFloatArray(),
                "PyTorch's gradients at log 0 and log inf");
        assertArrayEquals(new float[] {Float.NaN, 0, Float.POSITIVE_INFINITY, 0}, y0.grad().toFloatArray());

        Tensor z = Tensor.fromArray(new float[] {1, Float.NaN, 3, Float.NaN, Float.NaN, 2}, 2, 3).requiresGrad_(true);
        assertEquals(6, z.nansum().item(), 0);
        assertArrayEquals(new float[] {4, 2}, z.nansum(new int[] {1}, false).toFloatArray());
        assertEquals(2, z.nanmean().item(), 0);
        assertArrayEquals(new float[] {2, 2}, z.nanmean(new int[] {1}, true).toFloatArray());
        Tensor columns = z.nanmean(new int[] {0}, false);
        assertArrayEquals(new float[] {1, Float.NaN, 2.5f}, columns.toFloatArray(), "an all-NaN column's mean is NaN");
        columns.sum().backward();
        assertArrayEquals(new float[] {1, Float.NaN, 0.5f, 0, Float.NaN, 0.5f}, z.grad().toFloatArray(),
                "PyTorch's gradients: 0 at a NaN, NaN in an all-NaN column");
        assertEquals(DType.INT64, Tensor.arange(4).nansum().dtype(), "integers have no NaN: a plain sum");
        assertMessage(() -> Tensor.arange(4).nanmean(), "nanmean: input dtype must be floating point, got int64");
        check(in -> in[0].nansum(new int[] {0}, true).mul(in[0].logit(0.1).sum()), Tensor.rand(3, 2));
        check(in -> in[0].xlogy(in[1]), Tensor.randn(2, 3), Tensor.rand(3).add(0.5));
    }
}
