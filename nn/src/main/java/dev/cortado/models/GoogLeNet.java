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
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * torchvision's {@code GoogLeNet(num_classes=1000, aux_logits=True, transform_input=False,
 * dropout=0.2, dropout_aux=0.7)}, Inception v1: a convolutional stem, nine Inception modules (1×1,
 * 3×3, "5×5" (a 3×3, as torchvision's) and pooled branches side by side) between ceil-mode max
 * pools, global average pooling, dropout and {@code fc}. Two auxiliary classifiers read the
 * fourth stage while training; {@link #forward} returns the main scores only, and
 * {@link #forwardWithAux} all three (torchvision's {@code GoogLeNetOutputs} in training mode).
 * Initialisation: truncated normal with std 0.01 within ±2 for convolutions and linear weights.
 */
public final class GoogLeNet extends FcClassifier {
    private final boolean transformInput;
    private final BasicConv2d conv1;
    private final MaxPool2d maxpool1;
    private final BasicConv2d conv2;
    private final BasicConv2d conv3;
    private final MaxPool2d maxpool2;
    private final Inception inception3a;
    private final Inception inception3b;
    private final MaxPool2d maxpool3;
    private final Inception inception4a;
    private final Inception inception4b;
    private final Inception inception4c;
    private final Inception inception4d;
    private final Inception inception4e;
    private final MaxPool2d maxpool4;
    private final Inception inception5a;
    private final Inception inception5b;
    private InceptionAux aux1;
    private InceptionAux aux2;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;

    public GoogLeNet() {
        this(1000, true, false, 0.2, 0.7);
    }

    public GoogLeNet(int numClasses, boolean auxLogits, boolean transformInput, double dropout, double dropoutAux) {
        PooledClassifier.checkClasses("GoogLeNet", numClasses);
        this.transformInput = transformInput;
        conv1 = register("conv1", new BasicConv2d(3, 64, 7, 2, 3));
        maxpool1 = register("maxpool1", pool(3, 2, 0));
        conv2 = register("conv2", new BasicConv2d(64, 64, 1, 1, 0));
        conv3 = register("conv3", new BasicConv2d(64, 192, 3, 1, 1));
        maxpool2 = register("maxpool2", pool(3, 2, 0));
        inception3a = register("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        inception3b = register("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        maxpool3 = register("maxpool3", pool(3, 2, 0));
        inception4a = register("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        inception4b = register("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        inception4c = register("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        inception4d = register("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        inception4e = register("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        maxpool4 = register("maxpool4", pool(2, 2, 0));
        inception5a = register("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        inception5b = register("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        if (auxLogits) {
            aux1 = register("aux1", new InceptionAux(512, numClasses, dropoutAux));
            aux2 = register("aux2", new InceptionAux(528, numClasses, dropoutAux));
        }
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        this.dropout = register("dropout", new Dropout(dropout));
        registerHead("fc", new Linear(1024, numClasses));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.truncNormal_(c.weight, 0, 0.01, -2, 2);
                } else if (m instanceof Linear l) {
                    Init.truncNormal_(l.weight, 0, 0.01, -2, 2);
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                }
            }
        }
    }

    private static MaxPool2d pool(int kernel, int stride, int padding) {
        return new MaxPool2d(PoolOptions.of(kernel).stride(stride).padding(padding).ceilMode(true));
    }

    public static GoogLeNet googlenet() {
        return new GoogLeNet();
    }

    /**
     * {@code googlenet(weights=...)}: transform_input on (the weights were trained on inputs in
     * [-1, 1]), and without the auxiliary classifiers, whose weights in the file are not trained.
     */
    public static GoogLeNet googlenet(Weights weights) throws IOException {
        return pretrained(weights.fetchFor("googlenet"));
    }

    /** torchvision's GoogLeNet weight file (or a state dict with the auxiliary classifiers) loaded as {@link #googlenet(Weights)} does. */
    static GoogLeNet pretrained(Path file) throws IOException {
        GoogLeNet model = new GoogLeNet(1000, true, true, 0.2, 0.7);
        Weights.loadFile(model, file);
        model.dropAuxLogits();
        return model;
    }

    /** {@code model.aux_logits = False; model.aux1 = model.aux2 = None}: the auxiliary classifiers and their parameters removed. */
    public void dropAuxLogits() {
        if (aux1 != null) {
            remove("aux1");
            remove("aux2");
            aux1 = null;
            aux2 = null;
        }
    }

    /** The main scores: the auxiliary classifiers are not run (see {@link #forwardWithAux}). */
    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).logits();
    }

    /**
     * The scores of the main classifier and, in training mode with auxiliary classifiers, of
     * {@code aux1} (reading inception4a) and {@code aux2} (reading inception4d); null otherwise.
     * torchvision's {@code GoogLeNetOutputs} names its fields the other way round: its
     * {@code aux_logits1} is module aux2's output and {@code aux_logits2} module aux1's.
     */
    public record Outputs(Tensor logits, Tensor aux2, Tensor aux1) {
    }

    /**
     * torchvision's {@code GoogLeNetOutputs} in training mode: train with
     * {@code loss(logits) + 0.3 · (loss(aux1) + loss(aux2))}, as the paper.
     */
    public Outputs forwardWithAux(Tensor x) {
        return run(x, true);
    }

    private Outputs run(Tensor x, boolean withAux) {
        ModelInputs.requireRgbBatch("GoogLeNet", x);
        boolean aux = withAux && isTraining() && aux1 != null;
        Tensor y = transformInput ? BasicConv2d.transformInput(x) : x;
        y = maxpool2.call(conv3.call(conv2.call(maxpool1.call(conv1.call(y)))));
        y = inception4a.call(maxpool3.call(inception3b.call(inception3a.call(y))));
        Tensor a1 = aux ? aux1.call(y) : null;
        y = inception4d.call(inception4c.call(inception4b.call(y)));
        Tensor a2 = aux ? aux2.call(y) : null;
        y = inception5b.call(inception5a.call(maxpool4.call(inception4e.call(y))));
        Tensor logits = headLayer().call(dropout.call(avgpool.call(y).flatten(1)));
        return new Outputs(logits, a2, a1);
    }


    @Override
    public Linear resetClassifier(int numClasses) {
        PooledClassifier.checkClasses("GoogLeNet", numClasses);
        if (aux1 != null) {
            aux1.resetClassifier(numClasses);
            aux2.resetClassifier(numClasses);
        }
        return super.resetClassifier(numClasses);
    }

    /** GoogLeNet's Inception module: 1×1; 1×1 then 3×3; 1×1 then 3×3; 3×3 max pool then 1×1; concatenated. */
    static final class Inception extends Module {
        private final BasicConv2d branch1;
        private final Sequential branch2;
        private final Sequential branch3;
        private final Sequential branch4;

        Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
            branch1 = register("branch1", new BasicConv2d(in, ch1x1, 1, 1, 0));
            branch2 = register("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 1, 0), new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1)));
            branch3 = register("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 1, 0), new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1)));
            branch4 = register("branch4", new Sequential(pool(3, 1, 1), new BasicConv2d(in, poolProj, 1, 1, 0)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return Tensor.cat(List.of(branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x)), 1);
        }
    }

    /** An auxiliary classifier: 4×4 adaptive average pool, 1×1 to 128 channels, fc1 to 1024 with ReLU, dropout, fc2. */
    static final class InceptionAux extends Module {
        private final BasicConv2d conv;
        private final Linear fc1;
        private Linear fc2;
        private final Dropout dropout;

        InceptionAux(int in, int numClasses, double dropout) {
            conv = register("conv", new BasicConv2d(in, 128, 1, 1, 0));
            fc1 = register("fc1", new Linear(2048, 1024));
            fc2 = register("fc2", new Linear(1024, numClasses));
            this.dropout = register("dropout", new Dropout(dropout));
        }

        void resetClassifier(int numClasses) {
            fc2 = replace("fc2", new Linear(fc2.weight.size(1), numClasses));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(Pooling.adaptiveAvgPool2d(x, 4, 4)).flatten(1);
            return fc2.call(dropout.call(fc1.call(y).relu()));
        }
    }
}
