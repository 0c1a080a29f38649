package dev.cortado.models;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** The input check the image classifiers share. */
final class ModelInputs {
    private ModelInputs() {
    }

    /** Refuses, naming the model, anything but a batch of RGB images (N, 3, H, W). */
    static void requireRgbBatch(String model, Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException(model + ": expects (N, 3, H, W) images, got shape " + Shapes.str(x.shape()));
        }
    }
}
