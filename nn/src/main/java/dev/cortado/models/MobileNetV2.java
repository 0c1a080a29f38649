package dev.cortado.models;

import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU6;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;

/**
 * torchvision's {@code MobileNetV2(num_classes=1000, width_mult=1.0, round_nearest=8,
 * dropout=0.2)}: a 3×3 stride-2 stem, seventeen inverted residual blocks (1×1 expansion, 3×3
 * depthwise, 1×1 linear projection, with the input added where the shape allows) and a 1×1 to
 * 1280 channels, all with batch norm and ReLU6, then global average pooling and {@code classifier}.
 */
public final class MobileNetV2 extends PooledClassifier {
    /** Expansion t, channels c, repeats n and first stride s of each stage, as the paper's Table 2. */
    private static final int[][] SETTING = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
        {6, 320, 1, 1}};

    public MobileNetV2() {
        this(1000, 1.0, 0.2);
    }

    public MobileNetV2(int numClasses, double widthMult, double dropout) {
        if (numClasses < 1 || !(widthMult > 0)) {
            throw new IllegalArgumentException("MobileNetV2: num_classes and width_mult must be positive, got " + numClasses + " and "
                    + widthMult);
        }
        int input = Layers.makeDivisible(32 * widthMult, 8);
        int last = Layers.makeDivisible(1280 * Math.max(1.0, widthMult), 8);
        Sequential f = new Sequential(Layers.convNormActivation(3, input, 3, 2, 1, 1, 1e-5, 0.1, ReLU6::new));
        for (int[] stage : SETTING) {
            int output = Layers.makeDivisible(stage[1] * widthMult, 8);
            for (int i = 0; i < stage[2]; i++) {
                f.add(new InvertedResidual(input, output, i == 0 ? stage[3] : 1, stage[0]));
                input = output;
            }
        }
        f.add(Layers.convNormActivation(input, last, 1, 1, 1, 1, 1e-5, 0.1, ReLU6::new));
        super("MobileNetV2", f, null, new Sequential(new Dropout(dropout), new Linear(last, numClasses)));
        Layers.initialise(this, 0.01);
    }


    public static MobileNetV2 mobilenet_v2(Weights weights) throws IOException {
        return weights.loadInto(new MobileNetV2(), "mobilenet_v2");
    }

    /** MobileNetV2's block, {@code conv}: expand (unless t = 1), depthwise 3×3, project; plus the input when stride 1 keeps the channels. */
    static final class InvertedResidual extends Module {
        private final Sequential conv;
        private final boolean residual;

        InvertedResidual(int in, int out, int stride, int expandRatio) {
            int hidden = (int) Math.round(in * (double) expandRatio);
            residual = stride == 1 && in == out;
            Sequential layers = new Sequential();
            if (expandRatio != 1) {
                layers.add(Layers.convNormActivation(in, hidden, 1, 1, 1, 1, 1e-5, 0.1, ReLU6::new));
            }
            layers.add(Layers.convNormActivation(hidden, hidden, 3, stride, hidden, 1, 1e-5, 0.1, ReLU6::new));
            layers.add(new Conv2d(hidden, out, 1, 1, ConvOptions.DEFAULT, false));
            layers.add(new dev.cortado.nn.BatchNorm2d(out));
            conv = register("conv", layers);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(x);
            return residual ? x.add(y) : y;
        }
    }
}
