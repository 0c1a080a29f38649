package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * torchvision's {@code Inception3(num_classes=1000, aux_logits=True, transform_input=False,
 * dropout=0.5)}, Inception v3 for 299×299 images: a stem of five convolutions and two max pools,
 * the Mixed_5 (A), 6a (B, reduction), 6b–e (C, factorised 7×7), 7a (D, reduction) and 7b–c (E)
 * modules, global average pooling, dropout and {@code fc}. {@code AuxLogits} reads Mixed_6e while
 * training; {@link #forward} returns the main scores only and {@link #forwardWithAux} both
 * (torchvision's {@code InceptionOutputs}). Initialisation: truncated normal within ±2 with std
 * 0.1, and 0.001 for the auxiliary fc (torchvision's {@code stddev} attribute on its
 * {@code conv1} sits on the BasicConv2d, not the convolution, so that one gets 0.1 as well).
 */
public final class Inception3 extends FcClassifier {
    private final boolean transformInput;
    private final BasicConv2d conv2d1a;
    private final BasicConv2d conv2d2a;
    private final BasicConv2d conv2d2b;
    private final MaxPool2d maxpool1;
    private final BasicConv2d conv2d3b;
    private final BasicConv2d conv2d4a;
    private final MaxPool2d maxpool2;
    private final Module[] mixed;
    private InceptionAux auxLogits;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;

    public Inception3() {
        this(1000, true, false, 0.5);
    }

    public Inception3(int numClasses, boolean auxLogits, boolean transformInput, double dropout) {
        PooledClassifier.checkClasses("Inception3", numClasses);
        this.transformInput = transformInput;
        conv2d1a = register("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, 2, 0));
        conv2d2a = register("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3, 1, 0));
        conv2d2b = register("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, 1, 1));
        maxpool1 = register("maxpool1", new MaxPool2d(3, 2, 0));
        conv2d3b = register("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1, 1, 0));
        conv2d4a = register("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3, 1, 0));
        maxpool2 = register("maxpool2", new MaxPool2d(3, 2, 0));
        mixed = new Module[11];
        mixed[0] = register("Mixed_5b", new InceptionA(192, 32));
        mixed[1] = register("Mixed_5c", new InceptionA(256, 64));
        mixed[2] = register("Mixed_5d", new InceptionA(288, 64));
        mixed[3] = register("Mixed_6a", new InceptionB(288));
        mixed[4] = register("Mixed_6b", new InceptionC(768, 128));
        mixed[5] = register("Mixed_6c", new InceptionC(768, 160));
        mixed[6] = register("Mixed_6d", new InceptionC(768, 160));
        mixed[7] = register("Mixed_6e", new InceptionC(768, 192));
        if (auxLogits) {
            this.auxLogits = register("AuxLogits", new InceptionAux(768, numClasses));
        }
        mixed[8] = register("Mixed_7a", new InceptionD(768));
        mixed[9] = register("Mixed_7b", new InceptionE(1280));
        mixed[10] = register("Mixed_7c", new InceptionE(2048));
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        this.dropout = register("dropout", new Dropout(dropout));
        registerHead("fc", new Linear(2048, numClasses));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.truncNormal_(c.weight, 0, 0.1, -2, 2);
                } else if (m instanceof Linear l) {
                    Init.truncNormal_(l.weight, 0, this.auxLogits != null && l == this.auxLogits.fc ? 0.001 : 0.1, -2, 2);
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                }
            }
        }
    }

    public static Inception3 inception_v3() {
        return new Inception3();
    }

    /** {@code inception_v3(weights=...)}: transform_input on (the weights were trained on inputs in [-1, 1]), auxiliary classifier kept. */
    public static Inception3 inception_v3(Weights weights) throws IOException {
        return pretrained(weights.fetchFor("inception_v3"));
    }

    static Inception3 pretrained(Path file) throws IOException {
        Inception3 model = new Inception3(1000, true, true, 0.5);
        Weights.loadFile(model, file);
        return model;
    }

    /** {@code model.aux_logits = False; model.AuxLogits = None}. */
    public void dropAuxLogits() {
        if (auxLogits != null) {
            remove("AuxLogits");
            auxLogits = null;
        }
    }

    /** The main scores: the auxiliary classifier is not run (see {@link #forwardWithAux}). */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).logits();
    }

    /** The main scores and, in training mode with the auxiliary classifier, its scores (null otherwise). */
    public record Outputs(Tensor logits, Tensor aux) {
    }

    /** torchvision's {@code InceptionOutputs(logits, aux_logits)} in training mode: train with {@code loss(logits) + 0.4 · loss(aux)}. */
    public Outputs forwardWithAux(Tensor x) {
        return run(x, true);
    }

    private Outputs run(Tensor x, boolean withAux) {
        ModelInputs.requireRgbBatch("Inception3", x);
        Tensor y = transformInput ? BasicConv2d.transformInput(x) : x;
        y = maxpool1.call(conv2d2b.call(conv2d2a.call(conv2d1a.call(y))));
        y = maxpool2.call(conv2d4a.call(conv2d3b.call(y)));
        Tensor aux = null;
        for (int i = 0; i < mixed.length; i++) {
            y = mixed[i].call(y);
            if (i == 7 && withAux && isTraining() && auxLogits != null) {
                aux = auxLogits.call(y);
            }
        }
        return new Outputs(headLayer().call(dropout.call(avgpool.call(y)).flatten(1)), aux);
    }


    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses("Inception3", numClasses);
        if (auxLogits != null) {
            auxLogits.resetClassifier(numClasses);
        }
        return super.resetClassifier(numClasses);
    }

    private static BasicConv2d conv(int in, int out, int kernelH, int kernelW) {
        return new BasicConv2d(in, out, kernelH, kernelW, ConvOptions.DEFAULT.padding(kernelH / 2, kernelW / 2));
    }

    private static Tensor avgPool3(Tensor x) {
        return Pooling.avgPool2d(x, PoolOptions.of(3).stride(1).padding(1));
    }

    private static Tensor maxPool3Stride2(Tensor x) {
        return Pooling.maxPool2d(x, PoolOptions.of(3).stride(2));
    }

    /** 35×35 module: 1×1; 1×1 → 5×5; 1×1 → 3×3 → 3×3; 3×3 average pool → 1×1. */
    static final class InceptionA extends Module {
        private final BasicConv2d branch1x1;
        private final BasicConv2d branch5x5a;
        private final BasicConv2d branch5x5b;
        private final BasicConv2d branch3x3dbl1;
        private final BasicConv2d branch3x3dbl2;
        private final BasicConv2d branch3x3dbl3;
        private final BasicConv2d branchPool;

        InceptionA(int in, int poolFeatures) {
            branch1x1 = register("branch1x1", conv(in, 64, 1, 1));
            branch5x5a = register("branch5x5_1", conv(in, 48, 1, 1));
            branch5x5b = register("branch5x5_2", conv(48, 64, 5, 5));
            branch3x3dbl1 = register("branch3x3dbl_1", conv(in, 64, 1, 1));
            branch3x3dbl2 = register("branch3x3dbl_2", conv(64, 96, 3, 3));
            branch3x3dbl3 = register("branch3x3dbl_3", conv(96, 96, 3, 3));
            branchPool = register("branch_pool", conv(in, poolFeatures, 1, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(branch1x1.call(x), branch5x5b.call(branch5x5a.call(x)),
                    branch3x3dbl3.call(branch3x3dbl2.call(branch3x3dbl1.call(x))), branchPool.call(avgPool3(x))), 1);
        }
    }

    /** Reduction 35 → 17: 3×3 stride 2; 1×1 → 3×3 → 3×3 stride 2; 3×3 max pool stride 2. */
    static final class InceptionB extends Module {
        private final BasicConv2d branch3x3;
        private final BasicConv2d branch3x3dbl1;
        private final BasicConv2d branch3x3dbl2;
        private final BasicConv2d branch3x3dbl3;

        InceptionB(int in) {
            branch3x3 = register("branch3x3", new BasicConv2d(in, 384, 3, 2, 0));
            branch3x3dbl1 = register("branch3x3dbl_1", conv(in, 64, 1, 1));
            branch3x3dbl2 = register("branch3x3dbl_2", conv(64, 96, 3, 3));
            branch3x3dbl3 = register("branch3x3dbl_3", new BasicConv2d(96, 96, 3, 2, 0));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(branch3x3.call(x), branch3x3dbl3.call(branch3x3dbl2.call(branch3x3dbl1.call(x))), maxPool3Stride2(x)), 1);
        }
    }

    /** 17×17 module with 7×7 convolutions factorised into 1×7 and 7×1. */
    static final class InceptionC extends Module {
        private final BasicConv2d branch1x1;
        private final BasicConv2d[] branch7x7;
        private final BasicConv2d[] branch7x7dbl;
        private final BasicConv2d branchPool;

        InceptionC(int in, int c7) {
            branch1x1 = register("branch1x1", conv(in, 192, 1, 1));
            branch7x7 = new BasicConv2d[] {register("branch7x7_1", conv(in, c7, 1, 1)), register("branch7x7_2", conv(c7, c7, 1, 7)),
                register("branch7x7_3", conv(c7, 192, 7, 1))};
            branch7x7dbl = new BasicConv2d[] {register("branch7x7dbl_1", conv(in, c7, 1, 1)), register("branch7x7dbl_2", conv(c7, c7, 7, 1)),
                register("branch7x7dbl_3", conv(c7, c7, 1, 7)), register("branch7x7dbl_4", conv(c7, c7, 7, 1)),
                register("branch7x7dbl_5", conv(c7, 192, 1, 7))};
            branchPool = register("branch_pool", conv(in, 192, 1, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(branch1x1.call(x), chain(branch7x7, x), chain(branch7x7dbl, x), branchPool.call(avgPool3(x))), 1);
        }
    }

    private static Tensor chain(BasicConv2d[] layers, Tensor x) {
        Tensor y = x;
        for (BasicConv2d layer : layers) {
            y = layer.call(y);
        }
        return y;
    }

    /** Reduction 17 → 8: 1×1 → 3×3 stride 2; 1×1 → 1×7 → 7×1 → 3×3 stride 2; 3×3 max pool stride 2. */
    static final class InceptionD extends Module {
        private final BasicConv2d[] branch3x3;
        private final BasicConv2d[] branch7x7x3;

        InceptionD(int in) {
            branch3x3 = new BasicConv2d[] {register("branch3x3_1", conv(in, 192, 1, 1)), register("branch3x3_2", new BasicConv2d(192, 320, 3, 2, 0))};
            branch7x7x3 = new BasicConv2d[] {register("branch7x7x3_1", conv(in, 192, 1, 1)), register("branch7x7x3_2", conv(192, 192, 1, 7)),
                register("branch7x7x3_3", conv(192, 192, 7, 1)), register("branch7x7x3_4", new BasicConv2d(192, 192, 3, 2, 0))};
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(chain(branch3x3, x), chain(branch7x7x3, x), maxPool3Stride2(x)), 1);
        }
    }

    /** 8×8 module whose 3×3 branches end in 1×3 and 3×1 side by side. */
    static final class InceptionE extends Module {
        private final BasicConv2d branch1x1;
        private final BasicConv2d branch3x3a;
        private final BasicConv2d branch3x3b1;
        private final BasicConv2d branch3x3b2;
        private final BasicConv2d branch3x3dbl1;
        private final BasicConv2d branch3x3dbl2;
        private final BasicConv2d branch3x3dbl3a;
        private final BasicConv2d branch3x3dbl3b;
        private final BasicConv2d branchPool;

        InceptionE(int in) {
            branch1x1 = register("branch1x1", conv(in, 320, 1, 1));
            branch3x3a = register("branch3x3_1", conv(in, 384, 1, 1));
            branch3x3b1 = register("branch3x3_2a", conv(384, 384, 1, 3));
            branch3x3b2 = register("branch3x3_2b", conv(384, 384, 3, 1));
            branch3x3dbl1 = register("branch3x3dbl_1", conv(in, 448, 1, 1));
            branch3x3dbl2 = register("branch3x3dbl_2", conv(448, 384, 3, 3));
            branch3x3dbl3a = register("branch3x3dbl_3a", conv(384, 384, 1, 3));
            branch3x3dbl3b = register("branch3x3dbl_3b", conv(384, 384, 3, 1));
            branchPool = register("branch_pool", conv(in, 192, 1, 1));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor a = branch3x3a.call(x);
            Tensor d = branch3x3dbl2.call(branch3x3dbl1.call(x));
            return Tensor.cat(List.of(branch1x1.call(x), Tensor.cat(List.of(branch3x3b1.call(a), branch3x3b2.call(a)), 1),
                    Tensor.cat(List.of(branch3x3dbl3a.call(d), branch3x3dbl3b.call(d)), 1), branchPool.call(avgPool3(x))), 1);
        }
    }

    /** The auxiliary classifier: 5×5 average pool stride 3, 1×1 to 128, 5×5 to 768, global average pool, fc. */
    static final class InceptionAux extends Module {
        private final BasicConv2d conv0;
        private final BasicConv2d conv1;
        Linear fc;

        InceptionAux(int in, int numClasses) {
            conv0 = register("conv0", conv(in, 128, 1, 1));
            conv1 = register("conv1", new BasicConv2d(128, 768, 5, 1, 0));
            fc = register("fc", new Linear(768, numClasses));
        }

        void resetClassifier(int numClasses) {
            fc = replace("fc", new Linear(fc.weight.size(1), numClasses));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv1.call(conv0.call(Pooling.avgPool2d(x, PoolOptions.of(5).stride(3))));
            return fc.call(Pooling.adaptiveAvgPool2d(y, 1, 1).flatten(1));
        }
    }
}
