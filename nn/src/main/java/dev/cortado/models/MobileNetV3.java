package dev.cortado.models;

import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Hardsigmoid;
import dev.cortado.nn.Hardswish;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * torchvision's {@code MobileNetV3} large and small ({@link #mobilenet_v3_large()},
 * {@link #mobilenet_v3_small()}): a 3×3 stride-2 stem with hardswish, inverted residual blocks
 * (optional squeeze-and-excitation with a hard-sigmoid gate, ReLU or hardswish), a 1×1 to six
 * times the last block's channels, global average pooling and {@code classifier}; batch norms with
 * eps 0.001 and momentum 0.01, as torchvision's.
 */
public final class MobileNetV3 extends PooledClassifier {
    private static final double EPS = 0.001;
    private static final double MOMENTUM = 0.01;

    /** One block of the paper's Tables 1 and 2: in, kernel, expanded, out, squeeze-excitation, hardswish, stride, dilation. */
    record Config(int in, int kernel, int expanded, int out, boolean se, boolean hardswish, int stride, int dilation) {
    }

    private static final Config[] LARGE = {
        new Config(16, 3, 16, 16, false, false, 1, 1), new Config(16, 3, 64, 24, false, false, 2, 1),
        new Config(24, 3, 72, 24, false, false, 1, 1), new Config(24, 5, 72, 40, true, false, 2, 1),
        new Config(40, 5, 120, 40, true, false, 1, 1), new Config(40, 5, 120, 40, true, false, 1, 1),
        new Config(40, 3, 240, 80, false, true, 2, 1), new Config(80, 3, 200, 80, false, true, 1, 1),
        new Config(80, 3, 184, 80, false, true, 1, 1), new Config(80, 3, 184, 80, false, true, 1, 1),
        new Config(80, 3, 480, 112, true, true, 1, 1), new Config(112, 3, 672, 112, true, true, 1, 1),
        new Config(112, 5, 672, 160, true, true, 2, 1), new Config(160, 5, 960, 160, true, true, 1, 1),
        new Config(160, 5, 960, 160, true, true, 1, 1)};
    private static final Config[] SMALL = {
        new Config(16, 3, 16, 16, true, false, 2, 1), new Config(16, 3, 72, 24, false, false, 2, 1),
        new Config(24, 3, 88, 24, false, false, 1, 1), new Config(24, 5, 96, 40, true, true, 2, 1),
        new Config(40, 5, 240, 40, true, true, 1, 1), new Config(40, 5, 240, 40, true, true, 1, 1),
        new Config(40, 5, 120, 48, true, true, 1, 1), new Config(48, 5, 144, 48, true, true, 1, 1),
        new Config(48, 5, 288, 96, true, true, 2, 1), new Config(96, 5, 576, 96, true, true, 1, 1),
        new Config(96, 5, 576, 96, true, true, 1, 1)};

    MobileNetV3(Config[] setting, int lastChannel, int numClasses, double dropout) {
        checkClasses("MobileNetV3", numClasses);
        Sequential f = new Sequential(Layers.convNormActivation(3, setting[0].in(), 3, 2, 1, 1, EPS, MOMENTUM, Hardswish::new));
        for (Config c : setting) {
            f.add(new InvertedResidual(c));
        }
        int lastIn = setting[setting.length - 1].out();
        f.add(Layers.convNormActivation(lastIn, 6 * lastIn, 1, 1, 1, 1, EPS, MOMENTUM, Hardswish::new));
        super("MobileNetV3", f, new AdaptiveAvgPool2d(1), new Sequential(new Linear(6 * lastIn, lastChannel), new Hardswish(),
                new Dropout(dropout), new Linear(lastChannel, numClasses)));
        Layers.initialise(this, 0.01);
    }

    public static MobileNetV3 mobilenet_v3_large() {
        return mobilenet_v3_large(1000);
    }

    public static MobileNetV3 mobilenet_v3_large(int numClasses) {
        return new MobileNetV3(LARGE, 1280, numClasses, 0.2);
    }

    public static MobileNetV3 mobilenet_v3_small() {
        return mobilenet_v3_small(1000);
    }

    public static MobileNetV3 mobilenet_v3_small(int numClasses) {
        return new MobileNetV3(SMALL, 1024, numClasses, 0.2);
    }

    public static MobileNetV3 mobilenet_v3_large(Weights weights) throws IOException {
        return weights.loadInto(mobilenet_v3_large(), "mobilenet_v3_large");
    }

    public static MobileNetV3 mobilenet_v3_small(Weights weights) throws IOException {
        return weights.loadInto(mobilenet_v3_small(), "mobilenet_v3_small");
    }


    /** MobileNetV3's block, {@code block}: expand (unless already that wide), depthwise, squeeze-excitation, project; plus the input where it fits. */
    static final class InvertedResidual extends Module {
        private final Sequential block;
        private final boolean residual;

        InvertedResidual(Config c) {
            residual = c.stride() == 1 && c.in() == c.out();
            Supplier<Module> activation = c.hardswish() ? Hardswish::new : ReLU::new;
            Sequential layers = new Sequential();
            if (c.expanded() != c.in()) {
                layers.add(Layers.convNormActivation(c.in(), c.expanded(), 1, 1, 1, 1, EPS, MOMENTUM, activation));
            }
            int stride = c.dilation() > 1 ? 1 : c.stride();
            layers.add(Layers.convNormActivation(c.expanded(), c.expanded(), c.kernel(), stride, c.expanded(), c.dilation(), EPS, MOMENTUM,
                    activation));
            if (c.se()) {
                layers.add(new SqueezeExcitation(c.expanded(), Layers.makeDivisible(c.expanded() / 4, 8), ReLU::new, Hardsigmoid::new));
            }
            layers.add(Layers.convNormActivation(c.expanded(), c.out(), 1, 1, 1, 1, EPS, MOMENTUM, null));
            block = register("block", layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = block.call(x);
            return residual ? y.add(x) : y;
        }
    }
}
