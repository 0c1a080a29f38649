package dev.cortado.examples.train;

import dev.cortado.data.DataLoader;
import dev.cortado.examples.report.Results;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.Optimizer;
import dev.cortado.tensor.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The notebooks' epoch loop for a classifier: train, evaluate on a held-out loader, print one
 * line per epoch, and keep the per-epoch figures in the results under the model's name.
 */
public final class Fit {
    private Fit() {
    }

    /** Per-epoch figures (accuracies in percent) and the last evaluation. */
    public record History(List<Double> trainLoss, List<Double> trainAccuracy, List<Double> heldOutLoss, List<Double> heldOutAccuracy,
                          Evaluation last, long steps, double seconds) {
        public double finalAccuracy() {
            return last.accuracy();
        }
    }

    /**
     * Trains for {@code epochs} (or until {@code maxSteps} optimizer steps), evaluating on
     * {@code heldOut} after each epoch; {@code afterStep} gets every step's loss (a scheduler, per-step curves).
     * {@code heldOutName} is "test" or "valid", and names the result keys.
     */
    public static History run(String name, Module model, DataLoader train, DataLoader heldOut, String heldOutName, Optimizer optimizer,
                              java.util.function.DoubleConsumer afterStep, int epochs, long maxSteps, int classes, Device device, Results results) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        List<Double> tl = new ArrayList<>();
        List<Double> ta = new ArrayList<>();
        List<Double> hl = new ArrayList<>();
        List<Double> ha = new ArrayList<>();
        Evaluation last = null;
        long steps = 0;
        long start = System.nanoTime();
        for (int e = 1; e <= epochs && steps < maxSteps; e++) {
            int limit = (int) Math.min(Integer.MAX_VALUE, maxSteps - steps);
            Training.EpochStats s = Training.train(model, train, loss, optimizer, device,
                    String.format(Locale.ROOT, "%s epoch %d/%d", name, e, epochs), afterStep, limit);
            steps += Math.min(train.length(), limit);
            last = Training.evaluate(model, heldOut, loss, device, classes);
            tl.add(s.loss());
            ta.add(s.accuracy());
            hl.add(last.loss());
            ha.add(last.accuracy());
            System.out.printf(Locale.ROOT, "%-16s epoch %2d/%d  train loss %.4f  train acc %6.2f%%  %s loss %.4f  %s acc %6.2f%%  (%.1f s)%n",
                    name, e, epochs, s.loss(), s.accuracy(), heldOutName, last.loss(), heldOutName, last.accuracy(), s.seconds());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        results.metrics(name).put("parameters", model.parameterCount(true)).put("train_loss", tl).put("train_accuracy", ta)
                .put(heldOutName + "_loss", hl).put(heldOutName + "_accuracy", ha).put("final_" + heldOutName + "_accuracy", last.accuracy())
                .put("final_train_loss", tl.getLast()).put("steps", steps).put("seconds", Math.round(seconds * 10) / 10.0);
        return new History(tl, ta, hl, ha, last, steps, seconds);
    }
}
