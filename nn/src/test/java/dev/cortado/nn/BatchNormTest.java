package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BatchNorm2d against PyTorch 1.13 on x = sin(arange(24)) as (2, 3, 2, 2), weight (1, 2, 0.5), bias (0, 0.1, -0.2). */
class BatchNormTest extends OnReference {
    private static Tensor x() {
        double[] v = new double[24];
        for (int i = 0; i < 24; i++) {
            v[i] = Math.sin(i);
        }
        return Tensor.fromArray(v, 2, 3, 2, 2);
    }

    private static BatchNorm2d bn() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.set("weight", Tensor.tensor(new float[] {1, 2, 0.5f}));
        bn.set("bias", Tensor.tensor(new float[] {0, 0.1f, -0.2f}));
        return bn;
    }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        BatchNorm2d bn = bn();
        Tensor y = bn.forward(x());
        assertClose("train", y, Tensor.fromArray(new float[] {-0.861763f, 0.8362894f, 0.9731603f, -0.5769889f, -1.229059f, -1.978943f,
            0.5420728f, 4.016176f, 0.3888714f, 0.00922478f, -0.6196217f, -0.9195095f, -1.944544f, -0.01388391f, 1.13724f, 0.4504901f,
            0.5105825f, -1.988118f, -1.207484f, 2.134773f, 0.3386151f, 0.2884399f, -0.2676442f, -0.8183761f}, 2, 3, 2, 2), 2e-6);
        assertClose("running_mean", bn.runningMean, Tensor.tensor(new float[] {0.04270472f, -0.03985708f, 0.009399933f}), 2e-6);
        assertClose("running_var", bn.runningVar, Tensor.tensor(new float[] {0.928064f, 0.9332106f, 0.9660507f}), 2e-6);
        assertEquals(1, (long) bn.numBatchesTracked.item());
        bn.eval();
        assertClose("eval", bn.forward(x()), Tensor.fromArray(new float[] {-0.04432866f, 0.829141f, 0.8995466f, 0.1021577f, -1.384308f,
            -1.802765f, -0.395963f, 1.542691f, 0.2985117f, 0.004865791f, -0.4815292f, -0.7134839f, -0.6013059f, 0.3918161f, 0.9839486f,
            0.6306877f, -0.4135355f, -1.807885f, -1.372268f, 0.492811f, 0.2596399f, 0.2208308f, -0.2092845f, -0.6352601f}, 2, 3, 2, 2),
                2e-6);
        assertEquals(1, (long) bn.numBatchesTracked.item(), "eval does not count batches");
    }

    @Test
    void cumulativeAverageWithoutMomentum() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, true, true);
        Tensor a = Tensor.tensor(new float[][] {{1, 2}, {3, 6}});
        Tensor b = Tensor.tensor(new float[][] {{5, 0}, {9, 0}});
        bn.forward(a);
        bn.forward(b);
        // Equal-weight average of the two batch means (2, 4) and (7, 0), and of the unbiased variances (2, 8) and (8, 0).
        assertClose("mean", bn.runningMean, Tensor.tensor(new float[] {4.5f, 2}), 1e-6);
        assertClose("var", bn.runningVar, Tensor.tensor(new float[] {5, 4}), 1e-6);
    }

    @Test
    void withoutAffineOrRunningStats() {
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, false, false);
        assertEquals(0, bn.parameters().size());
        assertEquals(0, bn.buffers().size());
        bn.eval();
        Tensor y = bn.forward(x());
        assertClose("batch statistics in eval without running stats", y.mean(new int[] {0, 2, 3}, false), Tensor.zeros(3), 1e-6);
    }

    @Test
    void gradients() {
        Tensor w = Tensor.tensor(new float[] {1, 2, 0.5f});
        Tensor b = Tensor.tensor(new float[] {0, 0.1f, -0.2f});
        check(in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), x(), w, b);
        check(in -> F.batchNorm(in[0], null, null, null, null, true, 0.1, 1e-5), x().reshape(4, 6));
        check(in -> F.batchNorm(in[0], Tensor.tensor(new float[] {0.1f, 0.2f, 0.3f}), Tensor.tensor(new float[] {1, 2, 3}), in[1], in[2],
                false, 0.1, 1e-5), x(), w, b);
    }

    @Test
    void errors() {
        assertMessage(() -> new BatchNorm1d(4).forward(Tensor.ones(1, 4)), "more than 1 value per channel", "(1, 4)");
        assertMessage(() -> new BatchNorm2d(4).forward(Tensor.ones(2, 3, 5, 5)), "BatchNorm2d(4)", "4-d", "(2, 3, 5, 5)");
        assertMessage(() -> new BatchNorm2d(4).forward(Tensor.ones(2, 4)), "BatchNorm2d(4)", "(2, 4)");
        assertMessage(() -> F.batchNorm(Tensor.ones(2, 3), Tensor.zeros(2), null, null, null, true, 0.1, 1e-5), "running_mean (2,)");
    }
}
