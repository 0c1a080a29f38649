package dev.cortado.models;

import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;

import java.io.IOException;

/**
 * torchvision's {@code VGG}: {@code features} (3×3 convolutions with ReLU, optionally batch norm,
 * and 2×2 max pools, by configuration A, B, D or E for VGG-11, 13, 16 and 19), a 7×7 adaptive
 * average pool and {@code classifier} (4096, 4096, classes with ReLU and dropout). Layer indices
 * are torchvision's, so {@code features.0.weight} and {@code classifier.6.bias} load from its
 * state dicts. For fine-tuning, {@code classifier().set(6, new Linear(4096, classes))}.
 */
public final class VGG extends PooledClassifier {
    private static final int M = -1;
    private static final int[] A = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    private static final int[] B = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    private static final int[] D = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    private static final int[] E = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};

    /** {@code VGG(make_layers(cfg, batch_norm), num_classes, init_weights=True, dropout)}. */
    public VGG(Sequential features, int numClasses, double dropout) {
        checkClasses("VGG", numClasses);
        super("VGG", features, new AdaptiveAvgPool2d(7, 7), new Sequential(new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(dropout),
                new Linear(4096, 4096), new ReLU(), new Dropout(dropout), new Linear(4096, numClasses)));
        Layers.initialise(this, 0.01);
    }

    /** torchvision's {@code make_layers}: a configuration of channel counts, -1 for a max pool. */
    static Sequential makeLayers(int[] cfg, boolean batchNorm) {
        Sequential layers = new Sequential();
        int in = 3;
        for (int v : cfg) {
            if (v == M) {
                layers.add(new MaxPool2d(2, 2, 0));
                continue;
            }
            layers.add(new Conv2d(in, v, 3, 3, ConvOptions.DEFAULT.padding(1), true));
            if (batchNorm) {
                layers.add(new BatchNorm2d(v));
            }
            layers.add(new ReLU());
            in = v;
        }
        return layers;
    }


    private static VGG of(int[] cfg, boolean batchNorm) {
        return new VGG(makeLayers(cfg, batchNorm), 1000, 0.5);
    }

    public static VGG vgg11() {
        return of(A, false);
    }

    public static VGG vgg11_bn() {
        return of(A, true);
    }

    public static VGG vgg13() {
        return of(B, false);
    }

    public static VGG vgg13_bn() {
        return of(B, true);
    }

    public static VGG vgg16() {
        return of(D, false);
    }

    public static VGG vgg16_bn() {
        return of(D, true);
    }

    public static VGG vgg19() {
        return of(E, false);
    }

    public static VGG vgg19_bn() {
        return of(E, true);
    }

    public static VGG vgg11(Weights weights) throws IOException {
        return weights.loadInto(vgg11(), "vgg11");
    }

    public static VGG vgg11_bn(Weights weights) throws IOException {
        return weights.loadInto(vgg11_bn(), "vgg11_bn");
    }

    public static VGG vgg13(Weights weights) throws IOException {
        return weights.loadInto(vgg13(), "vgg13");
    }

    public static VGG vgg13_bn(Weights weights) throws IOException {
        return weights.loadInto(vgg13_bn(), "vgg13_bn");
    }

    public static VGG vgg16(Weights weights) throws IOException {
        return weights.loadInto(vgg16(), "vgg16");
    }

    public static VGG vgg16_bn(Weights weights) throws IOException {
        return weights.loadInto(vgg16_bn(), "vgg16_bn");
    }

    public static VGG vgg19(Weights weights) throws IOException {
        return weights.loadInto(vgg19(), "vgg19");
    }

    public static VGG vgg19_bn(Weights weights) throws IOException {
        return weights.loadInto(vgg19_bn(), "vgg19_bn");
    }
}
