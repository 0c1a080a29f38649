package dev.cortado.examples.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.optim.Adam;
import dev.cortado.optim.StepLR;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small CNN with batch norm and dropout learns a generated line-orientation task in seconds. */
class EndToEndTrainingTest {
    /** 12×12 noisy images of a horizontal line (0), a vertical line (1) or a diagonal line (2), at random positions. */
    private static Tensor[] data(int n, long seed) {
        Generator g = new Generator(seed);
        float[] x = g.normal(n * 144);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 144; p++) {
                x[i * 144 + p] *= 0.3f;
            }
            y[i] = i % 3;
            int at = 1 + (int) g.nextLong(10);
            for (int k = 0; k < 12; k++) {
                int r = y[i] == 0 ? at : y[i] == 1 ? k : k;
                int c = y[i] == 0 ? k : y[i] == 1 ? at : (k + at) % 12;
                x[i * 144 + r * 12 + c] += 1.5f;
            }
        }
        return new Tensor[] {Tensor.fromArray(x, new int[] {n, 1, 12, 12}, Device.CPU), Tensor.fromArray(y, new int[] {n}, Device.CPU)};
    }

    @Test
    void reachesNinetyNinePercentTrainingAccuracy() {
        Cortado.setDefaultDevice(Device.CPU);
        Cortado.manualSeed(0);
        Sequential model = new Sequential(new Conv2d(1, 8, 3, ConvOptions.DEFAULT.padding(1)), new BatchNorm2d(8), new ReLU(),
                new MaxPool2d(2), new Dropout(0.1), new Flatten(), new Linear(8 * 6 * 6, 3));
        Tensor[] d = data(384, 1);
        Adam opt = new Adam(model.parameters(), 0.01);
        StepLR schedule = new StepLR(opt, 10, 0.5);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < 20; epoch++) {
            model.train();
            for (int b = 0; b < 384; b += 64) {
                opt.zeroGrad();
                loss.forward(model.forward(d[0].narrow(0, b, 64)), d[1].narrow(0, b, 64)).backward();
                opt.step();
            }
            schedule.step();
        }
        model.eval();
        double accuracy;
        try (var g = GradMode.off()) {
            accuracy = model.forward(d[0]).argmax(1, false).eq(d[1]).mean().item();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(accuracy >= 0.99, "training accuracy " + accuracy);
        assertTrue(seconds < 30, "took " + seconds + " s");
    }
}
