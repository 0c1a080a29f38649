package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/**
 * A two-layer MLP trained with full-batch gradient descent on the classic three-arm spiral,
 * written with tensors and autograd alone: the smallest complete training loop.
 */
@Command(name = "spiral-mlp", mixinStandardHelpOptions = true,
        description = "Train a small MLP on a generated 3-class spiral with tensors and autograd alone.")
final class SpiralMlp implements Runnable {
    @Option(names = "--epochs", defaultValue = "300", description = "Full-batch epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public void run() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        Cortado.manualSeed(seed);
        int perClass = 200;
        int classes = 3;
        Tensor[] data = spiral(perClass, classes);
        Tensor x = data[0];
        Tensor y = data[1];

        int hidden = 64;
        Tensor w1 = Tensor.randn(2, hidden).mul(Math.sqrt(2.0 / 2)).requiresGrad_(true);
        Tensor b1 = Tensor.zeros(hidden).requiresGrad_(true);
        Tensor w2 = Tensor.randn(hidden, classes).mul(Math.sqrt(1.0 / hidden)).requiresGrad_(true);
        Tensor b2 = Tensor.zeros(classes).requiresGrad_(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);
        Tensor oneHot = Tensor.arange(classes).reshape(1, classes).eq(y.reshape(-1, 1));
        double lr = 1.0;

        System.out.printf(Locale.ROOT, "spiral-mlp: %d points, %d classes, MLP 2-%d-%d, %d epochs, full-batch SGD lr %.1f%n",
                x.size(0), classes, hidden, classes, epochs, lr);
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Tensor logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
            Tensor loss = logits.logSoftmax(1).mul(oneHot).sum(1).mean().neg();
            for (Tensor p : params) {
                p.zeroGrad();
            }
            loss.backward();
            try (var off = GradMode.off()) {
                for (Tensor p : params) {
                    p.sub_(p.grad().mul(lr));
                }
                if (epoch == 1 || epoch % 50 == 0 || epoch == epochs) {
                    double accuracy = logits.argmax(1, false).eq(y).mean().item() * 100;
                    System.out.printf(Locale.ROOT, "epoch %4d  loss %.4f  train accuracy %5.1f%%%n", epoch, loss.item(), accuracy);
                }
            }
        }
        System.out.printf(Locale.ROOT, "done in %.2f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Points on {@code classes} interleaved spiral arms with Gaussian noise; labels are the arm index. */
    static Tensor[] spiral(int perClass, int classes) {
        int n = perClass * classes;
        float[] noise = Cortado.defaultGenerator().normal(n);
        float[] xy = new float[2 * n];
        long[] labels = new long[n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                int k = c * perClass + i;
                double r = (double) i / perClass;
                double t = c * 4.0 + 4.0 * r + 0.2 * noise[k];
                xy[2 * k] = (float) (r * Math.sin(t));
                xy[2 * k + 1] = (float) (r * Math.cos(t));
                labels[k] = c;
            }
        }
        return new Tensor[] {Tensor.fromArray(xy, n, 2), Tensor.fromArray(labels, n)};
    }
}
