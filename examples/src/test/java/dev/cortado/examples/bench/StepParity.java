package dev.cortado.examples.bench;

import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Optimizer;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three training steps of a benchmark model on a device and on the CPU from the same weights,
 * batch and optimizer: the three losses, and every parameter after the first step, agree to 1e-4,
 * and the MemoryScope of each step hands all its device memory back. The parameters are compared
 * after one step because later steps measure the model as much as the backends: in the plain
 * ResNet-8 (no skip connections) a difference in the last bit after step 1 (1.5e-8) is 2.3e-5
 * after step 2, a thousand times the movement's share, while the residual twin stays within 3e-8.
 */
final class StepParity {
    private static final double TOL = 1e-4;

    private StepParity() {
    }

    /** A model and its batch: input shape (batch first) and number of classes. */
    record Case(String key, Supplier<Module> model, int[] inputShape, int classes) {
        static Case of(Workload w) {
            return new Case(w.key(), w::model, w.inputShape(), w.classes);
        }

        /**
         * An MLP with dropout between its layers: each step draws a new mask from the seeded
         * generator, and the masks, so the steps, must be the same on every device.
         */
        static Case mlpWithDropout() {
            return new Case("mlp_dropout_b64", () -> new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Dropout(0.5),
                    new Linear(128, 10)), new int[] {64, 1, 28, 28}, 10);
        }
    }

    private static Module model(Case w, Device device) {
        Cortado.manualSeed(0);
        return w.model().get().to(device);
    }

    private static double[] train(Module m, Case w, Device device, Function<List<Tensor>, Optimizer> optimizer, LongSupplier allocated,
                                  long[] allocatedAfter, Map<String, float[]> afterFirstStep) {
        Cortado.manualSeed(1);
        Tensor x = Tensor.randn(w.inputShape()).to(device);
        Tensor y = Tensor.randint(0, w.classes(), w.inputShape()[0]).to(device);
        Optimizer opt = optimizer.apply(m.parameters());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] losses = new double[3];
        for (int s = 0; s < losses.length; s++) {
            losses[s] = StepTimer.trainStep(m, opt, loss, x, y);
            if (s == 0) {
                m.namedParameters().forEach((k, v) -> afterFirstStep.put(k, v.toFloatArray()));
            }
            if (allocated != null) {
                allocatedAfter[s] = allocated.getAsLong();
            }
        }
        return losses;
    }

    /** Trains {@code w} with SGD (momentum 0.9) on {@code device} and on the CPU; {@code allocated} reads the device's allocated bytes. */
    static void check(Workload w, Device device, LongSupplier allocated) {
        check(Case.of(w), device, params -> new SGD(params, 0.01, 0.9), allocated);
    }

    static void check(Case w, Device device, Function<List<Tensor>, Optimizer> optimizer, LongSupplier allocated) {
        Cortado.setDefaultDevice(Device.CPU);
        Module cpu = model(w, Device.CPU);
        Module other = model(w, device);
        Map<String, float[]> reference = new java.util.LinkedHashMap<>();
        Map<String, float[]> stepped = new java.util.LinkedHashMap<>();
        double[] expected = train(cpu, w, Device.CPU, optimizer, null, null, reference);
        long[] bytes = new long[3];
        double[] actual = train(other, w, device, optimizer, allocated, bytes, stepped);
        for (int s = 0; s < expected.length; s++) {
            assertTrue(Math.abs(actual[s] - expected[s]) <= TOL * (1 + Math.abs(expected[s])),
                    w.key() + " step " + (s + 1) + ": loss " + actual[s] + " on " + device + ", " + expected[s] + " on the CPU");
        }
        for (Map.Entry<String, float[]> e : stepped.entrySet()) {
            float[] g = e.getValue();
            float[] c = reference.get(e.getKey());
            for (int i = 0; i < g.length; i++) {
                assertTrue(Math.abs(g[i] - c[i]) <= TOL * (1 + Math.abs(c[i])),
                        w.key() + " " + e.getKey() + "[" + i + "] after the first step: " + g[i] + " on " + device + ", " + c[i] + " on the CPU");
            }
        }
        // Steps 2 and 3 hold the same state (parameters, gradients, momentum): nothing else may survive a
        // step. The count may fall, when the garbage collector hands back what an earlier test left.
        assertTrue(bytes[2] <= bytes[1], w.key() + ": device memory grew from step 2 to step 3, " + bytes[1] + " -> " + bytes[2] + " bytes");
    }
}
