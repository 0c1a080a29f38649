package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchvision's {@code DenseNet}-BC, 121, 161, 169 and 201 ({@link #densenet121()}, ...): a 7×7
 * stem and max pool, four dense blocks (each layer sees the concatenation of every earlier
 * feature map and adds growth_rate more: batch norm, ReLU, 1×1 to bn_size × growth_rate, batch
 * norm, ReLU, 3×3) joined by transitions that halve the channels and the resolution, a final
 * batch norm and ReLU, global average pooling and {@code classifier}.
 */
public final class DenseNet extends LinearHeadClassifier {
    /** The old layer names in torchvision's weight files ({@code norm.1}, {@code conv.2}), renamed as its loader does. */
    private static final Pattern LEGACY = Pattern.compile("^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");

    private final Sequential features;

    public DenseNet(int growthRate, int[] blockConfig, int numInitFeatures, int bnSize, double dropRate, int numClasses) {
        PooledClassifier.checkClasses("DenseNet", numClasses);
        if (blockConfig.length == 0 || growthRate < 1 || numInitFeatures < 1 || bnSize < 1) {
            throw new IllegalArgumentException("DenseNet: needs blocks and positive growth_rate, num_init_features and bn_size, got "
                    + java.util.Arrays.toString(blockConfig) + ", " + growthRate + ", " + numInitFeatures + ", " + bnSize);
        }
        features = register("features", new Sequential());
        features.add("conv0", new Conv2d(3, numInitFeatures, 7, 7, ConvOptions.DEFAULT.stride(2).padding(3), false));
        features.add("norm0", new BatchNorm2d(numInitFeatures));
        features.add("relu0", new ReLU());
        features.add("pool0", new MaxPool2d(3, 2, 1));
        int channels = numInitFeatures;
        for (int i = 0; i < blockConfig.length; i++) {
            features.add("denseblock" + (i + 1), new Block(blockConfig[i], channels, bnSize, growthRate, dropRate));
            channels += blockConfig[i] * growthRate;
            if (i != blockConfig.length - 1) {
                Sequential transition = features.add("transition" + (i + 1), new Sequential());
                transition.add("norm", new BatchNorm2d(channels));
                transition.add("relu", new ReLU());
                transition.add("conv", new Conv2d(channels, channels / 2, 1, 1, ConvOptions.DEFAULT, false));
                transition.add("pool", new AvgPool2d(2, 2, 0));
                channels /= 2;
            }
        }
        features.add("norm5", new BatchNorm2d(channels));
        registerHead("classifier", new Linear(channels, numClasses));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight, 0, Init.FanMode.FAN_IN, "leaky_relu");
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                } else if (m instanceof Linear l) {
                    Init.zeros_(l.bias);
                }
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("DenseNet", x);
        Tensor f = features.call(x).relu();
        return headLayer().call(Pooling.adaptiveAvgPool2d(f, 1, 1).flatten(1));
    }

    public Linear classifier() {
        return headLayer();
    }

    /** {@code model.classifier = nn.Linear(model.classifier.in_features, classes)}; returns it. */
    public Linear replaceClassifier(Linear replacement) {
        return replaceHeadLayer(replacement);
    }

    /** torchvision's weight files name a layer's parts {@code norm.1}; its modules, and these, {@code norm1}. */
    static Map<String, Tensor> renameLegacyKeys(Map<String, Tensor> stateDict) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : stateDict.entrySet()) {
            Matcher m = LEGACY.matcher(e.getKey());
            out.put(m.matches() ? m.group(1) + m.group(2) : e.getKey(), e.getValue());
        }
        return out;
    }

    public static DenseNet densenet121() {
        return new DenseNet(32, new int[] {6, 12, 24, 16}, 64, 4, 0, 1000);
    }

    public static DenseNet densenet161() {
        return new DenseNet(48, new int[] {6, 12, 36, 24}, 96, 4, 0, 1000);
    }

    public static DenseNet densenet169() {
        return new DenseNet(32, new int[] {6, 12, 32, 32}, 64, 4, 0, 1000);
    }

    public static DenseNet densenet201() {
        return new DenseNet(32, new int[] {6, 12, 48, 32}, 64, 4, 0, 1000);
    }

    public static DenseNet densenet121(Weights weights) throws IOException {
        return weights.loadInto(densenet121(), "densenet121");
    }

    public static DenseNet densenet161(Weights weights) throws IOException {
        return weights.loadInto(densenet161(), "densenet161");
    }

    public static DenseNet densenet169(Weights weights) throws IOException {
        return weights.loadInto(densenet169(), "densenet169");
    }

    public static DenseNet densenet201(Weights weights) throws IOException {
        return weights.loadInto(densenet201(), "densenet201");
    }

    /** torchvision's {@code _DenseBlock}: layers {@code denselayer1}, ..., each fed every feature map so far; returns them all, concatenated. */
    static final class Block extends Module {
        private final List<Layer> layers = new ArrayList<>();

        Block(int numLayers, int inputFeatures, int bnSize, int growthRate, double dropRate) {
            for (int i = 0; i < numLayers; i++) {
                layers.add(register("denselayer" + (i + 1), new Layer(inputFeatures + i * growthRate, growthRate, bnSize, dropRate)));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            List<Tensor> features = new ArrayList<>(List.of(x));
            for (Layer layer : layers) {
                features.add(layer.call(Tensor.cat(features, 1)));
            }
            return Tensor.cat(features, 1);
        }
    }

    /** torchvision's {@code _DenseLayer}: norm1, relu1, conv1 (1×1), norm2, relu2, conv2 (3×3), then dropout. */
    static final class Layer extends Module {
        private final BatchNorm2d norm1;
        private final ReLU relu1;
        private final Conv2d conv1;
        private final BatchNorm2d norm2;
        private final ReLU relu2;
        private final Conv2d conv2;
        private final double dropRate;

        Layer(int inputFeatures, int growthRate, int bnSize, double dropRate) {
            norm1 = register("norm1", new BatchNorm2d(inputFeatures));
            relu1 = register("relu1", new ReLU());
            conv1 = register("conv1", new Conv2d(inputFeatures, bnSize * growthRate, 1, 1, ConvOptions.DEFAULT, false));
            norm2 = register("norm2", new BatchNorm2d(bnSize * growthRate));
            relu2 = register("relu2", new ReLU());
            conv2 = register("conv2", new Conv2d(bnSize * growthRate, growthRate, 3, 3, ConvOptions.DEFAULT.padding(1), false));
            this.dropRate = dropRate;
        }

        @Override
        public Tensor forward(Tensor concatenated) {
            Tensor bottleneck = conv1.call(relu1.call(norm1.call(concatenated)));
            Tensor out = conv2.call(relu2.call(norm2.call(bottleneck)));
            return dropRate > 0 ? dev.cortado.nn.F.dropout(out, dropRate, isTraining()) : out;
        }
    }
}
