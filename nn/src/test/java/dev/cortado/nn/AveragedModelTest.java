package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** AveragedModel's running averages, its state dict, and update_bn against PyTorch 1.13. */
class AveragedModelTest extends OnReference {
    private static Sequential net() {
        return new Sequential(new Linear(3, 4), new BatchNorm1d(4, 1e-5, 0.3, true, true));
    }

    /** The model's parameters moved by k times a fixed wave. */
    private static void shift(Module model, int k) {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            for (Tensor p : model.parameters()) {
                p.add_(wave(p.numel(), 0.3 * k + 0.1, true, p.shape()).mul(k));
            }
        }
    }

    @Test
    void swaIsTheMeanOfTheUpdatesAndEmaDecays() {
        Sequential model = net();
        AveragedModel swa = new AveragedModel(model, AveragedModelTest::net);
        AveragedModel ema = new AveragedModel(model, AveragedModelTest::net, AveragedModel.ema(0.9), false);
        Tensor first = model.parameters().get(0).detach().clone();
        Tensor sum = Tensor.zeros(first.shape());
        Tensor expectedEma = null;
        for (int k = 1; k <= 3; k++) {
            shift(model, k);
            Tensor now = model.parameters().get(0).detach().clone();
            sum = sum.add(now);
            expectedEma = expectedEma == null ? now : expectedEma.mul(0.9).add(now.mul(0.1));
            swa.updateParameters(model);
            ema.updateParameters(model);
        }
        assertEquals(3, swa.numAveraged());
        assertClose("mean of three updates", swa.module.parameters().get(0), sum.div(3), 1e-6);
        assertClose("exponential moving average", ema.module.parameters().get(0), expectedEma, 1e-6);
        Sequential fresh = net();
        AveragedModel copy = new AveragedModel(fresh, AveragedModelTest::net);
        assertClose("made from the model's state", copy.module.parameters().get(0), fresh.parameters().get(0), 0);
        org.junit.jupiter.api.Assertions.assertNotSame(copy.module.parameters().get(0), fresh.parameters().get(0));
        assertEquals(java.util.Set.of("n_averaged", "module.0.weight", "module.0.bias", "module.1.weight", "module.1.bias", "module.1.running_mean",
                "module.1.running_var", "module.1.num_batches_tracked"), swa.stateDict().keySet());
        Tensor x = Tensor.randn(5, 3);
        swa.eval();
        assertClose("forward runs the averaged copy", swa.call(x), swa.module.call(x), 0);
        assertMessage(() -> new AveragedModel(model, () -> model), "AveragedModel: the factory must build a new module");
        assertMessage(() -> swa.updateParameters(new Linear(3, 4)), "AveragedModel.updateParameters: the model has 2 parameters");
    }

    @Test
    void updateBnRecomputesRunningStatisticsAsPyTorch() {
        Sequential model = net();
        Linear fc = (Linear) model.children().get(0);
        BatchNorm1d bn = (BatchNorm1d) model.children().get(1);
        try (var off = dev.cortado.autograd.GradMode.off()) {
            fc.weight.copy_(wave(12, 0.53, true, 4, 3));
            fc.bias.copy_(wave(4, 0.29, false, 4));
            bn.runningMean.fill_(5);
            bn.numBatchesTracked.fill_(9);
        }
        model.eval();
        List<Tensor> batches = List.of(wave(15, 0.37, false, 5, 3), wave(12, 0.61, true, 4, 3).mul(2), wave(18, 0.23, false, 6, 3).add(1));
        AveragedModel.updateBn(batches, model);
        assertClose("running mean", bn.runningMean, Tensor.fromArray(new double[] {1.3786176443099976, -0.5025131106376648, -0.800312876701355,
            1.604576826095581}, 4), 1e-6);
        assertClose("running var", bn.runningVar, Tensor.fromArray(new double[] {6.233637809753418, 2.410475730895996, 5.962703704833984,
            2.6866493225097656}, 4), 1e-6);
        assertEquals(3, (long) bn.numBatchesTracked.item());
        assertEquals(0.3, bn.momentum());
        assertFalse(model.isTraining(), "mode restored");
        bn.setMomentum(null);
        assertNull(bn.momentum());
        assertMessage(() -> bn.setMomentum(1.5), "BatchNorm1d: momentum must be in [0, 1] or null, got 1.5");
    }
}
