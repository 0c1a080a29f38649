package dev.cortado.examples.models;

import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole chain behind "the same seed, the same numbers", on the CPU: PyTorch's generator draws
 * LeNet's weights, the batch and its labels, and ten SGD steps then give PyTorch's losses. The
 * expected values were printed by PyTorch 1.13 (one thread) for torch.manual_seed(0); LeNet();
 * x = torch.randn(64, 1, 28, 28); y = torch.randint(0, 10, (64,)); SGD(lr=0.05, momentum=0.9).
 */
class SeededTrainingParityTest {
    private static final double[] PYTORCH = {2.304426908493042, 2.301340341567993, 2.2962424755096436, 2.2903733253479004, 2.284531593322754,
        2.278805732727051, 2.272728204727173, 2.2667603492736816, 2.260688304901123, 2.2547836303710938};

    @Test
    void tenStepsFromTheSameSeedGivePyTorchsLosses() {
        Cortado.setDefaultDevice(Device.CPU);
        Cortado.manualSeed(0);
        LeNet model = new LeNet();
        Tensor x = Tensor.randn(64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 64);
        SGD opt = new SGD(model.parameters(), 0.05, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int step = 0; step < PYTORCH.length; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(model.call(x), y);
            l.backward();
            opt.step();
            assertEquals(PYTORCH[step], l.item(), 2e-6 * PYTORCH[step], "step " + (step + 1));
        }
    }
}
