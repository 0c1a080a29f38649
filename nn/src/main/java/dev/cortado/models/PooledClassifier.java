package dev.cortado.models;

import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

/**
 * The shape most of torchvision's classifiers share (VGG, AlexNet, MobileNet, EfficientNet, ConvNeXt):
 * {@code features}, a global pool ({@code avgpool}) and {@code classifier}, registered in that
 * order so that the state-dict keys come in torchvision's order. For fine-tuning, replace the
 * classifier's last layer: {@code classifier().set(classifier().size() - 1, new Linear(...))}.
 */
public abstract class PooledClassifier extends Module implements ImageClassifier {
    private final String name;
    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;
    private final boolean flatten;

    /** avgpool null pools to 1×1 without a module (MobileNetV2 calls the function). */
    PooledClassifier(String name, Sequential features, Module avgpool, Sequential classifier) {
        this(name, features, avgpool, classifier, true);
    }

    /** flatten false hands the classifier the pooled (N, C, 1, 1) tensor (ConvNeXt's classifier normalises it first). */
    PooledClassifier(String name, Sequential features, Module avgpool, Sequential classifier, boolean flatten) {
        this.name = name;
        this.flatten = flatten;
        this.features = register("features", features);
        this.avgpool = avgpool == null ? null : register("avgpool", avgpool);
        this.classifier = register("classifier", classifier);
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch(name, x);
        Tensor f = features.call(x);
        Tensor pooled = avgpool == null ? Pooling.adaptiveAvgPool2d(f, 1, 1) : avgpool.call(f);
        return classifier.call(flatten ? pooled.flatten(1) : pooled);
    }

    public Sequential features() {
        return features;
    }

    public Sequential classifier() {
        return classifier;
    }

    /** {@code model.classifier[-1] = nn.Linear(in_features, num_classes)}. */
    @Override
    public Linear resetClassifier(int numClasses) {
        checkClasses(name, numClasses);
        int last = classifier.size() - 1;
        Linear layer = new Linear(((Linear) classifier.get(last)).weight.size(1), numClasses);
        classifier.set(last, layer);
        return layer;
    }

    static void checkClasses(String name, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(name + ": num_classes must be positive, got " + numClasses);
        }
    }
}
