package dev.cortado.examples.bench;

import dev.cortado.cuda.Cuda;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training steps of every benchmark model (LeNet and ResNet-20 among them) on the GPU against
 * the CPU ({@link StepParity}). Skipped, with the reason printed, where CUDA is not usable.
 */
class CudaStepParityTest {
    @BeforeAll
    static void needsGpu() {
        if (!Cuda.isAvailable()) {
            System.out.println("CUDA training-step parity skipped: " + Cuda.whyUnavailable());
        }
        Assumptions.assumeTrue(Cuda.isAvailable(), "CUDA is not usable here");
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void aTrainingStepOnTheGpuMatchesTheCpu(Workload w) {
        StepParity.check(w, Device.cuda(), () -> Cuda.memoryStats(0).allocated());
    }

    /** Dropout's masks are drawn on the GPU from the seeded generator's keys: the CPU's masks. */
    @Test
    void stepsWithDropoutOnTheGpuMatchTheCpu() {
        StepParity.check(StepParity.Case.mlpWithDropout(), Device.cuda(), params -> new SGD(params, 0.01, 0.9),
                () -> Cuda.memoryStats(0).allocated());
    }
}
