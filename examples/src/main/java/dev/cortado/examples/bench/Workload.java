package dev.cortado.examples.bench;

import dev.cortado.examples.models.LeNet;
import dev.cortado.examples.models.MultiLayerPerceptron;
import dev.cortado.examples.models.ResNet;
import dev.cortado.examples.models.SequenceClassifier;
import dev.cortado.examples.models.SimpleCnn;
import dev.cortado.examples.models.ThreeConvCnn;
import dev.cortado.examples.models.ThreeLayerConvNet;
import dev.cortado.nn.Module;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The training steps that speed is measured on: one per notebook model, each with the batch size
 * and input shape the notebook trains it with, a 2-layer LSTM classifier of 35-step sequences
 * for the recurrent layers, and two of torchvision's ImageNet models at fine-tuning size.
 * {@code benchmarks/torch_bench.py} defines the same nine in PyTorch under the same names.
 */
public enum Workload {
    MNIST_FC_B128(128, new int[] {1, 28, 28}, 10, () -> new MultiLayerPerceptron(784, new int[] {512, 256, 128}, 10)),
    MNIST_LENET_B128(128, new int[] {1, 28, 28}, 10, LeNet::new),
    MNIST_CNN3_B128(128, new int[] {1, 28, 28}, 10, ThreeConvCnn::new),
    EDGE_SIMPLECNN7_B32(32, new int[] {1, 28, 28}, 3, () -> new SimpleCnn(3, 7, 3, true)),
    CIFAR_3LAYERCONV_B64(64, new int[] {3, 32, 32}, 10, () -> new ThreeLayerConvNet(3, 100, 100, 32, 10)),
    CIFAR_RESNET20_B128(128, new int[] {3, 32, 32}, 10, () -> new ResNet(3, 3, 10, true)),
    SEQ_LSTM2_B32(32, new int[] {35, 64}, 10, SequenceClassifier::new),
    /** Fine-tuning-sized steps of torchvision's ImageNet models, at 224×224. */
    IMAGENET_RESNET18_B16(16, new int[] {3, 224, 224}, 1000, dev.cortado.models.ResNet::resnet18),
    IMAGENET_MOBILENETV3S_B16(16, new int[] {3, 224, 224}, 1000, dev.cortado.models.MobileNetV3::mobilenet_v3_small);

    public final int batch;
    private final int[] sample;
    public final int classes;
    private final Supplier<Module> model;

    Workload(int batch, int[] sample, int classes, Supplier<Module> model) {
        this.batch = batch;
        this.sample = sample;
        this.classes = classes;
        this.model = model;
    }

    /** The name used on the command line and in the JSON output, e.g. {@code mnist_cnn3_b128}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** (batch, channels, height, width), or (batch, steps, features) for the sequences. */
    public int[] inputShape() {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    public Module model() {
        return model.get();
    }

    public static Workload of(String key) {
        for (Workload w : values()) {
            if (w.key().equals(key)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + key + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Workload::key).toList()));
    }
}
