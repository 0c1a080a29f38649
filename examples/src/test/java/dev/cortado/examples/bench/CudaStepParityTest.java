package dev.cortado.examples.bench;

import dev.cortado.cuda.Cuda;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two training steps of every benchmark model (LeNet and ResNet-20 among them) on the GPU and on
 * the CPU from the same weights and batch: the losses and every parameter afterwards agree to
 * 1e-4, and the MemoryScope of each step hands all its device memory back. Skipped, with the
 * reason printed, where CUDA is not usable.
 */
class CudaStepParityTest {
    private static final double TOL = 1e-4;

    @BeforeAll
    static void needsGpu() {
        if (!Cuda.isAvailable()) {
            System.out.println("CUDA training-step parity skipped: " + Cuda.whyUnavailable());
        }
        Assumptions.assumeTrue(Cuda.isAvailable(), "CUDA is not usable here");
    }

    private static Module model(Workload w, Device device) {
        Cortado.manualSeed(0);
        return w.model().to(device);
    }

    private static double[] train(Module m, Workload w, Device device, long[] allocatedAfter) {
        Cortado.manualSeed(1);
        Tensor x = Tensor.randn(w.inputShape()).to(device);
        Tensor y = Tensor.randint(0, w.classes, w.batch).to(device);
        SGD opt = new SGD(m.parameters(), 0.01, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] losses = new double[3];
        for (int s = 0; s < losses.length; s++) {
            losses[s] = StepTimer.trainStep(m, opt, loss, x, y);
            if (allocatedAfter != null) {
                allocatedAfter[s] = Cuda.memoryStats(0).allocated();
            }
        }
        return losses;
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void aTrainingStepOnTheGpuMatchesTheCpu(Workload w) {
        Cortado.setDefaultDevice(Device.CPU);
        Module cpu = model(w, Device.CPU);
        Module gpu = model(w, Device.cuda());
        double[] expected = train(cpu, w, Device.CPU, null);
        long[] allocated = new long[3];
        double[] actual = train(gpu, w, Device.cuda(), allocated);
        for (int s = 0; s < expected.length; s++) {
            assertTrue(Math.abs(actual[s] - expected[s]) <= TOL * (1 + Math.abs(expected[s])),
                    w.key() + " step " + (s + 1) + ": loss " + actual[s] + " on the GPU, " + expected[s] + " on the CPU");
        }
        Map<String, Tensor> reference = cpu.namedParameters();
        for (Map.Entry<String, Tensor> e : gpu.namedParameters().entrySet()) {
            float[] g = e.getValue().toFloatArray();
            float[] c = reference.get(e.getKey()).toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertTrue(Math.abs(g[i] - c[i]) <= TOL * (1 + Math.abs(c[i])),
                        w.key() + " " + e.getKey() + "[" + i + "]: " + g[i] + " on the GPU, " + c[i] + " on the CPU");
            }
        }
        // Steps 2 and 3 hold the same state (parameters, gradients, momentum): nothing else may survive a step.
        assertEquals(allocated[1], allocated[2], w.key() + ": device memory grew from step 2 to step 3");
    }
}
