package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-worked values for the ops, with PyTorch's results as the expectation. */
class OpsTest extends OnReference {
    private static Tensor t(Object nested) {
        return Tensor.tensor(nested);
    }

    private static void values(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-12);
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = t(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor col = t(new double[][] {{10}, {20}});
        values(new double[] {11, 12, 13, 24, 25, 26}, a.add(col));
        values(new double[] {0, 0, 0, 3, 3, 3}, a.sub(a.select(0, 0)));
        values(new double[] {2, 4, 6, 8, 10, 12}, a.mul(2));
        values(new double[] {0.5, 1, 1.5, 2, 2.5, 3}, a.div(2));
        values(new double[] {-1, -2, -3, -4, -5, -6}, a.neg());
        values(new double[] {1, 4, 9, 16, 25, 36}, a.pow(2));
        values(new double[] {2, 2, 3, 4, 4, 4}, a.clamp(2, 4));
        assertArrayEquals(new int[] {1, 2, 3}, t(new double[][][] {{{1, 2, 3}}}).add(t(new double[][] {{1}, {2}})).shape());
    }

    @Test
    void integerArithmeticStaysIntegerUntilDivision() {
        Tensor i = Tensor.arange(4);
        assertEquals(DType.INT64, i.add(1).dtype());
        assertEquals(DType.INT64, i.mul(i).dtype());
        assertEquals(DType.FLOAT32, i.div(2).dtype());
        assertEquals(DType.FLOAT32, i.add(0.5).dtype());
        assertArrayEquals(new long[] {0, 3, 6, 9}, i.mul(3).toLongArray());
        values(new double[] {0, 0.5, 1, 1.5}, i.div(2));
    }

    @Test
    void activations() {
        Tensor x = t(new double[] {-2, 0, 3});
        values(new double[] {0, 0, 3}, x.relu());
        values(new double[] {-0.2, 0, 3}, x.leakyRelu(0.1));
        values(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))}, x.sigmoid());
        values(new double[] {Math.tanh(-2), 0, Math.tanh(3)}, x.tanh());
        values(new double[] {2, 0, 3}, x.abs());
        values(new double[] {-1, 0, 1}, x.sign());
    }

    @Test
    void comparisonsGiveCountableMasks() {
        Tensor pred = t(new long[] {1, 2, 3, 4});
        Tensor target = t(new long[] {1, 0, 3, 0});
        Tensor correct = pred.eq(target);
        assertEquals(DType.FLOAT32, correct.dtype());
        assertEquals(2, correct.sum().item(), 0);
        assertEquals(0.5, correct.mean().item(), 0);
        values(new double[] {0, 1, 0, 1}, pred.ne(target));
        values(new double[] {0, 1, 0, 1}, pred.gt(target));
        values(new double[] {1, 1, 1, 1}, pred.ge(target));
        values(new double[] {0, 0, 1, 1}, pred.gt(2.5));
        values(new double[] {1, 0, 0, 0}, pred.lt(2));
        values(new double[] {1, 1, 0, 0}, pred.le(2));
        values(new double[] {1, 0, 3, 0}, Tensor.where(pred.eq(target), pred.to(DType.FLOAT32), Tensor.scalar(0)));
    }

    @Test
    void reductions() {
        Tensor x = t(new double[][] {{1, 5, 2}, {7, 0, 7}});
        assertEquals(22, x.sum().item(), 0);
        values(new double[] {8, 5, 9}, x.sum(0));
        values(new double[] {8. / 3, 14. / 3}, x.mean(1));
        assertArrayEquals(new int[] {2, 1}, x.sum(new int[] {1}, true).shape());
        assertEquals(7, x.max().item(), 0);
        assertEquals(0, x.min().item(), 0);
        ValuesIndices m = x.max(1, false);
        values(new double[] {5, 7}, m.values());
        assertArrayEquals(new long[] {1, 0}, m.indices().toLongArray(), "first occurrence wins");
        assertArrayEquals(new long[] {0, 1}, x.argmin(1, false).toLongArray());
        assertEquals(3, x.argmax().item(), 0);
        Tensor v = t(new double[] {1, 2, 3, 4});
        assertEquals(5.0 / 3, v.var(true).item(), 1e-12);
        assertEquals(1.25, v.var(false).item(), 1e-12);
        assertEquals(Math.sqrt(1.25), v.std(false).item(), 1e-12);
        assertEquals(5.0 / 3, v.var().item(), 1e-12, "var() is unbiased, as PyTorch's");
        assertEquals(Math.sqrt(5.0 / 3), v.std().item(), 1e-12, "std() is unbiased, as PyTorch's");
        assertEquals(0, Tensor.zeros(0).sum().item(), 0);
        assertEquals(10, Tensor.arange(5).sum().item(), 0);
        assertEquals(DType.INT64, Tensor.arange(5).sum().dtype());
    }

    @Test
    void matmulRules() {
        Tensor a = t(new double[][] {{1, 2}, {3, 4}});
        Tensor b = t(new double[][] {{5, 6}, {7, 8}});
        values(new double[] {19, 22, 43, 50}, a.matmul(b));
        Tensor v = t(new double[] {1, 1});
        values(new double[] {3, 7}, a.matmul(v));
        values(new double[] {4, 6}, v.matmul(a));
        assertEquals(2, v.matmul(v).item(), 0);
        assertArrayEquals(new int[] {0}, v.matmul(v).shape().length == 0 ? new int[] {0} : new int[] {1});
        Tensor batch = Tensor.stack(List.of(a, b), 0);
        assertArrayEquals(new int[] {2, 2, 2}, batch.matmul(a).shape());
        assertArrayEquals(new int[] {3, 2, 2, 2}, batch.matmul(Tensor.ones(3, 1, 2, 2)).shape());
        values(new double[] {19, 22, 43, 50}, a.matmul(b.t().t()));
    }

    /** A stack of rows times one matrix is folded into one product: the same values and gradients as entry by entry. */
    @Test
    void stackedRowsTimesAMatrixFold() {
        Tensor x = Tensor.randn(4, 3, 5);
        Tensor w = Tensor.randn(5, 2);
        Tensor y = x.matmul(w);
        assertArrayEquals(new int[] {4, 3, 2}, y.shape());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(x.select(0, i).matmul(w).toFloatArray(), y.select(0, i).toFloatArray(), 1e-6f);
        }
        Tensor strided = x.transpose(0, 1);
        assertArrayEquals(new int[] {3, 4, 2}, strided.matmul(w).shape());
        assertArrayEquals(strided.select(0, 2).matmul(w).toFloatArray(), strided.matmul(w).select(0, 2).toFloatArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 0, 2}, Tensor.zeros(2, 0, 5).matmul(w).shape());
        assertArrayEquals(new float[12], Tensor.zeros(2, 3, 0).matmul(Tensor.zeros(0, 2)).toFloatArray(), "an empty inner dim sums nothing");
        assertMessage(() -> x.matmul(Tensor.zeros(4, 2)), "matmul: (4, 3, 5) @ (4, 2): inner dimensions 5 and 4 differ");
        dev.cortado.autograd.Gradcheck.check(in -> in[0].transpose(0, 1).matmul(in[1]), Tensor.randn(2, 3, 4), Tensor.randn(4, 3));
    }

    @Test
    void softmaxIsStableAndNormalised() {
        Tensor x = t(new double[][] {{1000, 1001, 1002}, {-5, 0, 5}});
        Tensor s = x.softmax(1);
        values(new double[] {1, 1}, s.sum(1));
        double e = Math.exp(1) + Math.exp(2) + 1;
        assertEquals(Math.exp(2) / e, s.toDoubleArray()[2], 1e-12);
        Tensor ls = x.logSoftmax(1);
        assertEquals(2 - Math.log(e), ls.toDoubleArray()[2], 1e-12);
        assertTrue(Double.isFinite(ls.toDoubleArray()[0]));
    }

    @Test
    void catStackAndPad() {
        Tensor a = t(new double[][] {{1, 2}});
        Tensor b = t(new double[][] {{3, 4}, {5, 6}});
        values(new double[] {1, 2, 3, 4, 5, 6}, Tensor.cat(List.of(a, b), 0));
        assertArrayEquals(new int[] {2, 1, 2}, Tensor.stack(List.of(a, a), 0).shape());
        assertArrayEquals(new int[] {1, 2, 2}, Tensor.stack(List.of(a, a), -1).shape());
        Tensor r = t(new double[] {1, 2, 3, 4});
        values(new double[] {3, 2, 1, 2, 3, 4, 3, 2}, r.pad(new int[] {2, 2}, PadMode.REFLECT, 0));
        values(new double[] {9, 1, 2, 3, 4, 9, 9}, r.pad(new int[] {1, 2}, PadMode.CONSTANT, 9));
        values(new double[] {1, 1, 1, 2, 3, 4, 4, 4}, r.pad(new int[] {2, 2}, PadMode.REPLICATE, 0));
        values(new double[] {3, 4, 1, 2, 3, 4, 1}, r.pad(new int[] {2, 1}, PadMode.CIRCULAR, 0));
        values(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, r.pad(new int[] {4, 0}, PadMode.CIRCULAR, 0));
        // Both dims, corners included, as PyTorch 1.13 prints them for arange(6).reshape(1, 1, 2, 3).
        Tensor m = Tensor.arange(6).to(dev.cortado.tensor.DType.FLOAT32).reshape(1, 1, 2, 3);
        values(new double[] {0, 0, 1, 2, 2, 2, 0, 0, 1, 2, 2, 2, 0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 5, 5, 3, 3, 4, 5, 5, 5},
                m.pad(new int[] {1, 2, 2, 1}, PadMode.REPLICATE, 0));
        values(new double[] {2, 0, 1, 2, 0, 1, 5, 3, 4, 5, 3, 4, 2, 0, 1, 2, 0, 1, 5, 3, 4, 5, 3, 4, 2, 0, 1, 2, 0, 1},
                m.pad(new int[] {1, 2, 2, 1}, PadMode.CIRCULAR, 0));
        values(new double[] {2, 3}, r.pad(-1, -1));
        Tensor img = Tensor.ones(1, 2, 2, 2);
        Tensor shortcut = img.pad(0, 0, 0, 0, 1, 1); // ResNet option A: zero channels on both sides
        assertArrayEquals(new int[] {1, 4, 2, 2}, shortcut.shape());
        values(new double[] {0, 4, 4, 0}, shortcut.sum(new int[] {0, 2, 3}));
    }

    @Test
    void inPlaceOpsReadEveryValueBeforeOverwritingIt() {
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 4);
        values(new double[] {5, 5, 5, 5}, x.add_(x.flip(0)));
        Tensor y = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        values(new double[] {2, 4, 6, 8, 10, 12}, y.add_(y));
        values(new double[] {4, 16, 36, 64, 100, 144}, y.mul_(y));
        Tensor z = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 6);
        z.narrow(0, 1, 5).sub_(z.narrow(0, 0, 5));
        values(new double[] {1, 1, 1, 1, 1, 1}, z);
        Tensor i = Tensor.fromArray(new long[] {1, 2, 3}, 3);
        values(new double[] {3, 6, 9}, i.mul_(3));
        assertEquals(DType.INT64, i.dtype());
    }

    @Test
    void inPlaceUpdatesWriteThroughViews() {
        Tensor x = Tensor.zeros(2, 3);
        x.select(0, 1).fill_(7);
        x.narrow(1, 0, 1).add_(Tensor.ones(2, 1));
        values(new double[] {1, 0, 0, 8, 7, 7}, x);
        x.mul_(2).sub_(Tensor.ones(3));
        values(new double[] {1, -1, -1, 15, 13, 13}, x);
        x.copy_(Tensor.scalar(3)).zero_();
        values(new double[6], x);
    }

    /** As in PyTorch: writes through an expand() view would disagree on the element they share; fill_ writes one value. */
    @Test
    void inPlaceWritesIntoRepeatedElementsAreRefused() {
        Tensor base = Tensor.zeros(1, 3);
        Tensor e = base.expand(2, 3);
        Tensor rows = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertMessage(() -> e.add_(rows), "add_", "(2, 3)", "strides [0, 1]", "single memory location", "clone()");
        assertMessage(() -> e.copy_(rows), "copy_", "single memory location");
        assertMessage(() -> e.mul_(2), "mul_", "single memory location");
        values(new double[3], base);
        e.fill_(7);
        values(new double[] {7, 7, 7}, base);
        e.clone().add_(rows);
    }

    /** An empty dims list reduces every dim, as PyTorch's x.sum(dim=[]) does: 15., [[15.]], 2.5, 3.5 for arange(6.).reshape(2, 3). */
    @Test
    void reducingOverNoListedDimsReducesEverything() {
        Tensor x = Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3);
        assertEquals(15, x.sum(new int[0]).item());
        assertArrayEquals(new int[] {1, 1}, x.sum(new int[0], true).shape());
        assertEquals(2.5, x.mean(new int[0]).item());
        assertEquals(3.5, x.var(new int[0], true, false).item(), 1e-12);
        assertEquals(Math.sqrt(55), x.norm(2, new int[0], false).item(), 1e-12);
    }
}
