package dev.cortado.models;

import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;

/**
 * A classifier whose scores come from one Linear child under torchvision's name (ResNet's and
 * RegNet's {@code fc}, DenseNet's {@code classifier}, Swin's {@code head}), which fine-tuning
 * replaces under that name: {@link #resetClassifier} here, and each model's own accessors
 * ({@code fc()}, {@code replaceFc(...)}) as torchvision spells them.
 */
public abstract class LinearHeadClassifier extends Module implements ImageClassifier {
    private String headName;
    private Linear head;

    LinearHeadClassifier() {
    }

    /** Registers the head under torchvision's name, where torchvision's model registers it (state-dict order). */
    final Linear registerHead(String name, Linear layer) {
        headName = name;
        head = register(name, layer);
        return head;
    }

    final Linear headLayer() {
        return head;
    }

    /** Puts {@code layer} in place of the head, under the same name; returns it. */
    final Linear replaceHeadLayer(Linear layer) {
        head = replace(headName, layer);
        return head;
    }

    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses(getClass().getSimpleName(), numClasses);
        return replaceHeadLayer(new Linear(head.weight.size(1), numClasses));
    }
}
