package dev.cortado.models;

import dev.cortado.nn.Linear;

/** A classifier whose head torchvision names {@code fc} (ResNet, RegNet, ShuffleNetV2, GoogLeNet, Inception v3). */
public abstract class FcClassifier extends LinearHeadClassifier {
    FcClassifier() {
    }

    /** The final linear layer ({@code model.fc}). */
    public Linear fc() {
        return headLayer();
    }

    /**
     * {@code model.fc = nn.Linear(model.fc.in_features, classes)}: a new classifier for fine-tuning,
     * under the same name (move it with {@code model.to(device)} afterwards, as in PyTorch); returns it.
     */
    public Linear replaceFc(Linear replacement) {
        return replaceHeadLayer(replacement);
    }
}
