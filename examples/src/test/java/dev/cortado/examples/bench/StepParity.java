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
 * batch and optimizer: the losses and every parameter afterwards agree to 1e-4, and the MemoryScope of each
 * step hands all its device memory back.
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
                                  long[] allocatedAfter) {
        Cortado.manualSeed(1);
        Tensor x = Tensor.randn(w.inputShape()).to(device);
        Tensor y = Tensor.randint(0, w.classes(), w.inputShape()[0]).to(device);
        Optimizer opt = optimizer.apply(m.parameters());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] losses = new double[3];
        for (int s = 0; s < losses.length; s++) {
            losses[s] = StepTimer.trainStep(m, opt, loss, x, y);
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
        double[] expected = train(cpu, w, Device.CPU, optimizer, null, null);
        long[] bytes = new long[3];
        double[] actual = train(other, w, device, optimizer, allocated, bytes);
        for (int s = 0; s < expected.length; s++) {
            assertTrue(Math.abs(actual[s] - expected[s]) <= TOL * (1 + Math.abs(expected[s])),
                    w.key() + " step " + (s + 1) + ": loss " + actual[s] + " on " + device + ", " + expected[s] + " on the CPU");
        }
        Map<String, Tensor> reference = cpu.namedParameters();
        for (Map.Entry<String, Tensor> e : other.namedParameters().entrySet()) {
            float[] g = e.getValue().toFloatArray();
            float[] c = reference.get(e.getKey()).toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertTrue(Math.abs(g[i] - c[i]) <= TOL * (1 + Math.abs(c[i])),
                        w.key() + " " + e.getKey() + "[" + i + "]: " + g[i] + " on " + device + ", " + c[i] + " on the CPU");
            }
        }
        // Steps 2 and 3 hold the same state (parameters, gradients, momentum): nothing else may survive a
        // step. The count may fall, when the garbage collector hands back what an earlier test left.
        assertTrue(bytes[2] <= bytes[1], w.key() + ": device memory grew from step 2 to step 3, " + bytes[1] + " -> " + bytes[2] + " bytes");
    }
}
