package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Init;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.List;

/**
 * torchvision's {@code SqueezeNet(version, num_classes=1000, dropout=0.5)}: {@code features} of
 * Fire modules (a 1×1 squeeze, then 1×1 and 3×3 expands concatenated) between ceil-mode max pools,
 * and a {@code classifier} that is a 1×1 convolution to the classes, ReLU and global average
 * pooling; no fully connected layer. Version "1_0" is the paper's; "1_1" has a 3×3 stem and
 * pools earlier, for 2.4 times less computation at the same accuracy.
 */
public final class SqueezeNet extends Module implements ImageClassifier {
    private final Sequential features;
    private final Sequential classifier;

    public SqueezeNet(String version) {
        this(version, 1000, 0.5);
    }

    public SqueezeNet(String version, int numClasses, double dropout) {
        PooledClassifier.checkClasses("SqueezeNet", numClasses);
        Sequential f = switch (version) {
            case "1_0" -> new Sequential(new Conv2d(3, 96, 7, 7, ConvOptions.DEFAULT.stride(2), true), new ReLU(), pool(),
                    new Fire(96, 16, 64, 64), new Fire(128, 16, 64, 64), new Fire(128, 32, 128, 128), pool(),
                    new Fire(256, 32, 128, 128), new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), pool(),
                    new Fire(512, 64, 256, 256));
            case "1_1" -> new Sequential(new Conv2d(3, 64, 3, 3, ConvOptions.DEFAULT.stride(2), true), new ReLU(), pool(),
                    new Fire(64, 16, 64, 64), new Fire(128, 16, 64, 64), pool(),
                    new Fire(128, 32, 128, 128), new Fire(256, 32, 128, 128), pool(),
                    new Fire(256, 48, 192, 192), new Fire(384, 48, 192, 192), new Fire(384, 64, 256, 256), new Fire(512, 64, 256, 256));
            default -> throw new IllegalArgumentException("SqueezeNet: unsupported version \"" + version + "\": 1_0 or 1_1 expected");
        };
        Conv2d finalConv = new Conv2d(512, numClasses, 1, 1, ConvOptions.DEFAULT, true);
        features = register("features", f);
        classifier = register("classifier", new Sequential(new Dropout(dropout), finalConv, new ReLU(), new AdaptiveAvgPool2d(1)));
        // torchvision's: Kaiming uniform (fan in, gain √2) everywhere but the last convolution, which
        // starts small so that the first scores are near zero; every bias 0.
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    if (c == finalConv) {
                        Init.normal_(c.weight, 0, 0.01);
                    } else {
                        Init.kaimingUniform_(c.weight, 0, Init.FanMode.FAN_IN, "leaky_relu");
                    }
                    Init.zeros_(c.bias);
                }
            }
        }
    }

    private static MaxPool2d pool() {
        return new MaxPool2d(PoolOptions.of(3).stride(2).ceilMode(true));
    }

    public static SqueezeNet squeezenet1_0() {
        return new SqueezeNet("1_0");
    }

    public static SqueezeNet squeezenet1_1() {
        return new SqueezeNet("1_1");
    }

    public static SqueezeNet squeezenet1_0(Weights weights) throws IOException {
        return weights.loadInto(squeezenet1_0(), "squeezenet1_0");
    }

    public static SqueezeNet squeezenet1_1(Weights weights) throws IOException {
        return weights.loadInto(squeezenet1_1(), "squeezenet1_1");
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("SqueezeNet", x);
        return classifier.call(features.call(x)).flatten(1);
    }

    public Sequential features() {
        return features;
    }

    /** Dropout, the 1×1 convolution to the classes ({@code classifier[1]}, the layer to replace for fine-tuning), ReLU, pooling. */
    public Sequential classifier() {
        return classifier;
    }

    /** {@code model.classifier[1] = nn.Conv2d(512, num_classes, kernel_size=1)}, as torchvision's fine-tuning tutorial does. */
    @Override
    public Conv2d resetClassifier(int numClasses) {
        PooledClassifier.checkClasses("SqueezeNet", numClasses);
        Conv2d layer = new Conv2d(((Conv2d) classifier.get(1)).weight.size(1), numClasses, 1, 1, ConvOptions.DEFAULT, true);
        classifier.set(1, layer);
        return layer;
    }

    /** SqueezeNet's Fire module: squeeze to few channels with a 1×1 convolution, then expand with 1×1 and 3×3 side by side. */
    static final class Fire extends Module {
        private final Conv2d squeeze;
        private final Conv2d expand1x1;
        private final Conv2d expand3x3;

        Fire(int in, int squeezePlanes, int expand1x1Planes, int expand3x3Planes) {
            squeeze = register("squeeze", new Conv2d(in, squeezePlanes, 1, 1, ConvOptions.DEFAULT, true));
            expand1x1 = register("expand1x1", new Conv2d(squeezePlanes, expand1x1Planes, 1, 1, ConvOptions.DEFAULT, true));
            expand3x3 = register("expand3x3", new Conv2d(squeezePlanes, expand3x3Planes, 3, 3, ConvOptions.DEFAULT.padding(1), true));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor s = squeeze.call(x).relu();
            return Tensor.cat(List.of(expand1x1.call(s).relu(), expand3x3.call(s).relu()), 1);
        }
    }
}
