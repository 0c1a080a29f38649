package dev.cortado.examples.train;

import dev.cortado.autograd.GradMode;
import dev.cortado.data.Batch;
import dev.cortado.data.DataLoader;
import dev.cortado.nn.Loss;
import dev.cortado.nn.Module;
import dev.cortado.optim.Optimizer;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;

import java.util.Locale;

/** The notebooks' train and evaluate loops: one pass over a loader, with loss and accuracy. */
public final class Training {
    private Training() {
    }

    /** Mean loss and accuracy (percent) over the samples of one pass. */
    public record EpochStats(double loss, double accuracy, long samples, double seconds) {
    }

    /**
     * A pass with the model in training mode, one optimizer step per batch; {@code afterStep} runs
     * after each with the batch loss (schedulers, per-step curves). With a {@code label}, a progress bar shows the pass.
     */
    public static EpochStats train(Module model, DataLoader loader, Loss loss, Optimizer optimizer, Device device, String label,
                                   java.util.function.DoubleConsumer afterStep) {
        return train(model, loader, loss, optimizer, device, label, afterStep, Integer.MAX_VALUE);
    }

    /** As above, stopping after {@code maxBatches} batches (for step-counted schedules). */
    public static EpochStats train(Module model, DataLoader loader, Loss loss, Optimizer optimizer, Device device, String label,
                                   java.util.function.DoubleConsumer afterStep, int maxBatches) {
        model.train();
        long start = System.nanoTime();
        int planned = Math.min(loader.length(), maxBatches);
        Progress bar = label == null ? null : new Progress(label, planned, "img");
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int done = 0;
        for (Batch b : loader) {
            if (done >= planned) {
                break;
            }
            double batchLoss;
            int n;
            // Everything the step makes on the device, batch copies included, goes back when it ends.
            try (var step = MemoryScope.open()) {
                Tensor x = b.inputs().to(device);
                Tensor y = b.labels().to(device);
                optimizer.zeroGrad();
                Tensor out = model.call(x);
                Tensor l = loss.forward(out, y);
                l.backward();
                optimizer.step();
                batchLoss = l.item();
                n = x.size(0);
                try (var off = GradMode.off()) {
                    correct += (long) out.argmax(1, false).eq(y).sum().item();
                }
            }
            if (afterStep != null) {
                afterStep.accept(batchLoss);
            }
            lossSum += batchLoss * n;
            seen += n;
            done++;
            if (bar != null) {
                bar.update(done, seen, String.format(Locale.ROOT, "loss %.4f acc %.1f%%", lossSum / seen, 100.0 * correct / seen));
            }
        }
        return new EpochStats(lossSum / seen, 100.0 * correct / seen, seen, (System.nanoTime() - start) / 1e9);
    }

    /** Loss, accuracy and confusion matrix of the model in evaluation mode, without gradients. */
    public static Evaluation evaluate(Module model, DataLoader loader, Loss loss, Device device, int classes) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        long seen = 0;
        try (var off = GradMode.off()) {
            for (Batch b : loader) {
                try (var batch = MemoryScope.open()) {
                    Tensor x = b.inputs().to(device);
                    Tensor out = model.call(x);
                    lossSum += loss.forward(out, b.labels().to(device)).item() * x.size(0);
                    long[] predicted = out.argmax(1, false).toLongArray();
                    long[] truth = b.labels().toLongArray();
                    for (int i = 0; i < truth.length; i++) {
                        confusion[(int) truth[i]][(int) predicted[i]]++;
                    }
                    seen += x.size(0);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / seen, confusion);
    }
}
