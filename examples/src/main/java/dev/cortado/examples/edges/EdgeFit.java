package dev.cortado.examples.edges;

import dev.cortado.data.DataLoader;
import dev.cortado.examples.train.Evaluation;
import dev.cortado.examples.train.Progress;
import dev.cortado.examples.train.Training;
import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * The notebook's training recipe for the edge study: SGD lr 1e-2 with momentum 0.9, batch 32,
 * shuffled, cross-entropy; the validation set is evaluated after every epoch.
 */
public final class EdgeFit {
    private EdgeFit() {
    }

    /** Per-epoch curves (loss, accuracy in percent) and the final validation evaluation. */
    public record Curves(double[] trainLoss, double[] trainAccuracy, double[] validLoss, double[] validAccuracy, Evaluation finalValid,
                         double seconds) {
        public double finalAccuracy() {
            return finalValid.accuracy();
        }
    }

    public static Curves fit(Module model, EdgeData data, int epochs, long seed, Device device, String label) {
        model.to(device);
        List<Tensor> trainable = model.parameters().stream().filter(Tensor::requiresGrad).toList();
        SGD opt = new SGD(trainable, 1e-2, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        DataLoader train = new DataLoader(data.train(), DataLoader.Options.batch(32).shuffle(true).seed(seed));
        DataLoader valid = new DataLoader(data.valid(), DataLoader.Options.batch(256));
        double[] tl = new double[epochs];
        double[] ta = new double[epochs];
        double[] vl = new double[epochs];
        double[] va = new double[epochs];
        Evaluation last = null;
        long start = System.nanoTime();
        Progress bar = new Progress(label, epochs, "epoch");
        for (int e = 0; e < epochs; e++) {
            Training.EpochStats s = Training.train(model, train, loss, opt, device, null, null);
            last = Training.evaluate(model, valid, loss, device, data.numClasses());
            tl[e] = s.loss();
            ta[e] = s.accuracy();
            vl[e] = last.loss();
            va[e] = last.accuracy();
            bar.update(e + 1, e + 1, String.format(Locale.ROOT, "train acc %.1f%% valid acc %.1f%%", ta[e], va[e]));
        }
        return new Curves(tl, ta, vl, va, last, (System.nanoTime() - start) / 1e9);
    }
}
