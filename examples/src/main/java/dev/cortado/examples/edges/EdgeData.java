package dev.cortado.examples.edges;

import dev.cortado.data.EdgeConfig;
import dev.cortado.data.EdgeDetection;
import dev.cortado.data.TensorDataset;
import dev.cortado.tensor.Tensor;

import java.util.List;

/**
 * A training and a validation set of edge images, normalised with the training set's mean and
 * std (as the notebook's {@code Normalize(mean, std)} does), held as tensors since they are small.
 */
public record EdgeData(TensorDataset train, TensorDataset valid, Tensor trainImages, Tensor validImages, List<String> classes,
                       double mean, double std) {

    /** {@code perClass} training and {@code validPerClass} validation images per class, both drawn from {@code seed}. */
    public static EdgeData make(EdgeConfig config, int perClass, int validPerClass, long seed) {
        EdgeDetection train = EdgeDetection.generate(config.dataPerClass(perClass), EdgeDetection.Mode.TRAIN, seed);
        EdgeDetection valid = EdgeDetection.generate(config.dataPerClass(validPerClass), EdgeDetection.Mode.VALID, seed);
        double mean = train.mean();
        double std = train.std();
        Tensor x = train.images().sub(mean).div(std);
        Tensor v = valid.images().sub(mean).div(std);
        return new EdgeData(new TensorDataset(x, Tensor.fromArray(train.labels(), train.size())),
                new TensorDataset(v, Tensor.fromArray(valid.labels(), valid.size())), train.images(), valid.images(), train.classes(), mean,
                std);
    }

    public int numClasses() {
        return classes.size();
    }
}
