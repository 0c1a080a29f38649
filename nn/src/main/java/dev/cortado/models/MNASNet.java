package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;

/**
 * torchvision's {@code MNASNet(alpha, num_classes=1000, dropout=0.2)}, the B1 variant of the
 * searched mobile network (version 2, whose stem scales with alpha too): a stem with one
 * depthwise-separable convolution, six stacks of inverted residuals with 3×3 and 5×5 depthwise
 * convolutions, a 1×1 to 1280 channels, the spatial mean and {@code classifier}. Its batch norms
 * use momentum 0.0003 (TensorFlow's decay of 0.9997).
 */
public final class MNASNet extends Module implements ImageClassifier {
    /** PyTorch's momentum for TensorFlow's batch-norm decay of 0.9997. */
    static final double BN_MOMENTUM = 1 - 0.9997;
    private final Sequential layers;
    private final Sequential classifier;

    public MNASNet(double alpha) {
        this(alpha, 1000, 0.2);
    }

    public MNASNet(double alpha, int numClasses, double dropout) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("MNASNet: alpha must be positive, got " + alpha);
        }
        PooledClassifier.checkClasses("MNASNet", numClasses);
        int[] d = depths(alpha);
        layers = register("layers", new Sequential(
                new Conv2d(3, d[0], 3, 3, ConvOptions.DEFAULT.stride(2).padding(1), false), norm(d[0]), new ReLU(),
                new Conv2d(d[0], d[0], 3, 3, ConvOptions.DEFAULT.padding(1).groups(d[0]), false), norm(d[0]), new ReLU(),
                new Conv2d(d[0], d[1], 1, 1, ConvOptions.DEFAULT, false), norm(d[1]),
                stack(d[1], d[2], 3, 2, 3, 3), stack(d[2], d[3], 5, 2, 3, 3), stack(d[3], d[4], 5, 2, 6, 3),
                stack(d[4], d[5], 3, 1, 6, 2), stack(d[5], d[6], 5, 2, 6, 4), stack(d[6], d[7], 3, 1, 6, 1),
                new Conv2d(d[7], 1280, 1, 1, ConvOptions.DEFAULT, false), norm(1280), new ReLU()));
        classifier = register("classifier", new Sequential(new Dropout(dropout), new Linear(1280, numClasses)));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight, 0, Init.FanMode.FAN_OUT, "relu");
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                } else if (m instanceof Linear l) {
                    Init.kaimingUniform_(l.weight, 0, Init.FanMode.FAN_OUT, "sigmoid");
                    Init.zeros_(l.bias);
                }
            }
        }
    }

    /** torchvision's {@code _get_depths}: the reference channel counts times alpha, rounded to multiples of 8 (up unless within 10 %). */
    static int[] depths(double alpha) {
        int[] base = {32, 16, 24, 40, 80, 96, 192, 320};
        int[] d = new int[base.length];
        for (int i = 0; i < base.length; i++) {
            d[i] = Layers.makeDivisible(base[i] * alpha, 8);
        }
        return d;
    }

    private static BatchNorm2d norm(int channels) {
        return new BatchNorm2d(channels, 1e-5, BN_MOMENTUM, true, true);
    }

    /** {@code _stack}: repeats inverted residuals, the first changing channels and stride, the rest with the input added. */
    private static Sequential stack(int in, int out, int kernel, int stride, int expansion, int repeats) {
        Sequential s = new Sequential(new InvertedResidual(in, out, kernel, stride, expansion));
        for (int i = 1; i < repeats; i++) {
            s.add(new InvertedResidual(out, out, kernel, 1, expansion));
        }
        return s;
    }

    public static MNASNet mnasnet0_5() {
        return new MNASNet(0.5);
    }

    public static MNASNet mnasnet0_75() {
        return new MNASNet(0.75);
    }

    public static MNASNet mnasnet1_0() {
        return new MNASNet(1.0);
    }

    public static MNASNet mnasnet1_3() {
        return new MNASNet(1.3);
    }

    public static MNASNet mnasnet0_5(Weights weights) throws IOException {
        return weights.loadInto(mnasnet0_5(), "mnasnet0_5");
    }

    public static MNASNet mnasnet0_75(Weights weights) throws IOException {
        return weights.loadInto(mnasnet0_75(), "mnasnet0_75");
    }

    public static MNASNet mnasnet1_0(Weights weights) throws IOException {
        return weights.loadInto(mnasnet1_0(), "mnasnet1_0");
    }

    public static MNASNet mnasnet1_3(Weights weights) throws IOException {
        return weights.loadInto(mnasnet1_3(), "mnasnet1_3");
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("MNASNet", x);
        return classifier.call(layers.call(x).mean(2, 3));
    }

    public Sequential layers() {
        return layers;
    }

    /** Dropout and the last Linear ({@code classifier[1]}, the layer to replace for fine-tuning). */
    public Sequential classifier() {
        return classifier;
    }

    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses("MNASNet", numClasses);
        Linear layer = new Linear(((Linear) classifier.get(1)).weight.size(1), numClasses);
        classifier.set(1, layer);
        return layer;
    }

    /** MNASNet's block: 1×1 expansion, k×k depthwise, 1×1 linear projection, plus the input when the shape is kept. */
    static final class InvertedResidual extends Module {
        private final Sequential layers;
        private final boolean residual;

        InvertedResidual(int in, int out, int kernel, int stride, int expansion) {
            int mid = in * expansion;
            residual = in == out && stride == 1;
            layers = register("layers", new Sequential(
                    new Conv2d(in, mid, 1, 1, ConvOptions.DEFAULT, false), norm(mid), new ReLU(),
                    new Conv2d(mid, mid, kernel, kernel, ConvOptions.DEFAULT.stride(stride).padding(kernel / 2).groups(mid), false), norm(mid),
                    new ReLU(),
                    new Conv2d(mid, out, 1, 1, ConvOptions.DEFAULT, false), norm(out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = layers.call(x);
            return residual ? y.add(x) : y;
        }
    }
}
