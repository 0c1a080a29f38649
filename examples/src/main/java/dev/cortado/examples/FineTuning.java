package dev.cortado.examples;

import dev.cortado.autograd.GradMode;
import dev.cortado.models.ImageClassifier;
import dev.cortado.models.Models;
import dev.cortado.models.Weights;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A pretrained torchvision model made ready to fine-tune, as the transfer-learning notebooks do:
 * the ImageNet weights loaded, the last linear layer replaced by a fresh one with one output per
 * class ({@code model.fc = nn.Linear(...)}, {@code model.classifier[-1] = ...}), and, to train only
 * that layer, every other parameter frozen ({@code requires_grad_(False)}).
 */
final class FineTuning {
    private FineTuning() {
    }

    /** weightsFile, when not null, replaces the published weights (their state dict, with the 1000-class head). */
    static Module pretrained(String name, Weights weights, Path weightsFile, int classes, boolean freeze) throws IOException {
        Module model = weightsFile != null ? Models.getModel(name, weightsFile) : Models.getModel(name, weights);
        if (freeze) {
            try (var off = GradMode.off()) {
                model.parameters().forEach(p -> p.requiresGrad_(false));
            }
        }
        // The new layer is made after freezing, so it alone trains.
        if (!(model instanceof ImageClassifier classifier)) {
            throw new IllegalArgumentException("image-folder: cannot find the last layer of " + name + " to replace");
        }
        classifier.resetClassifier(classes);
        return model;
    }

    /** Parameters the optimizer trains. */
    static java.util.List<Tensor> trainable(Module model) {
        return model.parameters().stream().filter(Tensor::requiresGrad).toList();
    }
}
