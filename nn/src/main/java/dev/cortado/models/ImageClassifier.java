package dev.cortado.models;

import dev.cortado.nn.Module;

/**
 * A torchvision classifier whose last layer can be swapped for fine-tuning, whatever the
 * architecture calls it ({@code fc}, {@code classifier[-1]}, {@code heads.head}): timm's
 * {@code reset_classifier(num_classes)}. The new layer has PyTorch's default initialisation and is
 * made on the default device; move the model afterwards, as in PyTorch.
 */
public interface ImageClassifier {
    /**
     * Replaces the layer that produces the scores with a fresh one of {@code numClasses} outputs
     * and the same inputs, and the auxiliary classifiers' last layers likewise where there are
     * any (as torchvision's fine-tuning tutorial does for Inception v3); returns the new main layer.
     */
    Module resetClassifier(int numClasses);
}
