package dev.cortado.examples.bench;

import dev.cortado.cuda.EmulatedCudaProvider;
import dev.cortado.examples.models.ResNet;
import dev.cortado.nn.Linear;
import dev.cortado.optim.Adam;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training steps of the smaller benchmark models on the CUDA backend with an emulated device
 * (kernels.cu compiled for the CPU, cuBLAS and cuDNN by definition) against the CPU backend:
 * the whole path from modules and autograd to kernel launches, without a GPU. ResNet-20 and
 * ThreeLayerConvNet are left to the GPU run (their convolutions by definition would take
 * minutes); a ResNet-8 on a small batch stands in.
 */
class EmulatedCudaStepParityTest {
    @BeforeAll
    static void needsEmulator() {
        String why = EmulatedCudaProvider.whyNotBuilt();
        if (why != null) {
            System.out.println("emulated CUDA training-step parity skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, "the kernel emulator cannot be built here");
    }

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = {"MNIST_FC_B128", "MNIST_LENET_B128", "MNIST_CNN3_B128", "EDGE_SIMPLECNN7_B32"})
    void aTrainingStepOnTheEmulatedGpuMatchesTheCpu(Workload w) {
        StepParity.check(w, EmulatedCudaProvider.DEVICE, EmulatedCudaProvider::allocatedBytes);
    }

    /** A model and its optimizer state on the second GPU use that device's memory and handles only. */
    @Test
    void aTrainingStepOnTheSecondEmulatedGpuMatchesTheCpu() {
        StepParity.check(Workload.MNIST_LENET_B128, EmulatedCudaProvider.SECOND, () -> EmulatedCudaProvider.allocatedBytes(1));
    }

    /** Dropout's masks come from the seeded generator's keys, so the emulated GPU draws the CPU's masks. */
    @Test
    void stepsWithDropoutOnTheEmulatedGpuMatchTheCpu() {
        StepParity.check(StepParity.Case.mlpWithDropout(), EmulatedCudaProvider.DEVICE, params -> new SGD(params, 0.01, 0.9),
                EmulatedCudaProvider::allocatedBytes);
    }

    /** Adam keeps two moments per parameter on the parameter's device; AMSGrad a third. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void adamStepsOnTheEmulatedGpuMatchTheCpu(boolean amsgrad) {
        StepParity.check(StepParity.Case.of(Workload.MNIST_FC_B128), EmulatedCudaProvider.DEVICE,
                params -> new Adam(params, 1e-3, 0.9, 0.999, 1e-8, 1e-4, amsgrad), EmulatedCudaProvider::allocatedBytes);
    }

    /** Moments live on the parameter's device, the step count on the host (reading it must not wait for a GPU), also after a reload. */
    @Test
    void adamKeepsItsStepCountOnTheHost() {
        Linear layer = new Linear(3, 2);
        layer.to(EmulatedCudaProvider.DEVICE);
        Adam adam = new Adam(layer.parameters(), 1e-3);
        for (int round = 0; round < 2; round++) {
            layer.forward(Tensor.ones(4, 3).to(EmulatedCudaProvider.DEVICE)).sum().backward();
            adam.step();
            Map<String, Tensor> state = adam.stateDict().tensors();
            assertEquals(Device.CPU, state.get("state.0.step").device());
            assertEquals(round + 1, state.get("state.0.step").item());
            assertEquals(EmulatedCudaProvider.DEVICE, state.get("state.0.exp_avg").device());
            adam.loadStateDict(adam.stateDict());
        }
    }

    /**
     * ResNet-20's building blocks (batch norm, residual adds, strided and 1x1 convolutions, global
     * average pooling) in ResNet-8, one block per stage, on a batch of 16; and its plain twin.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void resNet8StepsOnTheEmulatedGpuMatchTheCpu(boolean residual) {
        StepParity.check(new StepParity.Case(residual ? "resnet8_b16" : "plain8_b16", () -> new ResNet(1, 3, 10, residual),
                new int[] {16, 3, 32, 32}, 10), EmulatedCudaProvider.DEVICE, params -> new SGD(params, 0.1, 0.9, 0, 1e-4, false),
                EmulatedCudaProvider::allocatedBytes);
    }
}
