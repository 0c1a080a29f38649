package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Dropout;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.nn.SiLU;
import dev.cortado.nn.Sigmoid;
import dev.cortado.tensor.Tensor;

import java.io.IOException;

/**
 * torchvision's {@code EfficientNet}, B0 to B7 ({@link #efficientnet_b0()}, ...) and V2 S, M, L
 * ({@link #efficientnet_v2_s()}, ...): a 3×3 stride-2 stem, stages of MBConv blocks (1×1
 * expansion, depthwise k×k, squeeze-and-excitation, 1×1 projection, SiLU) or, in V2's first
 * stages, fused MBConv blocks (one k×k in place of expansion and depthwise), each residual branch
 * with stochastic depth rising linearly to 0.2 over the blocks; then a 1×1 convolution, global
 * average pooling and {@code classifier} (dropout and Linear). B1 to B7 scale B0's widths and depths.
 */
public final class EfficientNet extends PooledClassifier {
    /** A stage: expansion ratio, kernel, first stride, in and out channels, blocks, and whether its blocks are fused. */
    record Stage(double expandRatio, int kernel, int stride, int in, int out, int layers, boolean fused) {
        /** B0's stage scaled by width (channels, rounded to multiples of 8) and depth (blocks, rounded up). */
        Stage scaled(double width, double depth) {
            return new Stage(expandRatio, kernel, stride, Layers.makeDivisible(in * width, 8), Layers.makeDivisible(out * width, 8),
                    (int) Math.ceil(layers * depth), fused);
        }
    }

    private static final Stage[] B0 = {
        new Stage(1, 3, 1, 32, 16, 1, false), new Stage(6, 3, 2, 16, 24, 2, false), new Stage(6, 5, 2, 24, 40, 2, false),
        new Stage(6, 3, 2, 40, 80, 3, false), new Stage(6, 5, 1, 80, 112, 3, false), new Stage(6, 5, 2, 112, 192, 4, false),
        new Stage(6, 3, 1, 192, 320, 1, false)};
    private static final Stage[] V2_S = {
        new Stage(1, 3, 1, 24, 24, 2, true), new Stage(4, 3, 2, 24, 48, 4, true), new Stage(4, 3, 2, 48, 64, 4, true),
        new Stage(4, 3, 2, 64, 128, 6, false), new Stage(6, 3, 1, 128, 160, 9, false), new Stage(6, 3, 2, 160, 256, 15, false)};
    private static final Stage[] V2_M = {
        new Stage(1, 3, 1, 24, 24, 3, true), new Stage(4, 3, 2, 24, 48, 5, true), new Stage(4, 3, 2, 48, 80, 5, true),
        new Stage(4, 3, 2, 80, 160, 7, false), new Stage(6, 3, 1, 160, 176, 14, false), new Stage(6, 3, 2, 176, 304, 18, false),
        new Stage(6, 3, 1, 304, 512, 5, false)};
    private static final Stage[] V2_L = {
        new Stage(1, 3, 1, 32, 32, 4, true), new Stage(4, 3, 2, 32, 64, 7, true), new Stage(4, 3, 2, 64, 96, 7, true),
        new Stage(4, 3, 2, 96, 192, 10, false), new Stage(6, 3, 1, 192, 224, 19, false), new Stage(6, 3, 2, 224, 384, 25, false),
        new Stage(6, 3, 1, 384, 640, 7, false)};

    /**
     * @param lastChannel the final 1×1 convolution's width, or 0 for four times the last stage's
     * @param bnEps       batch norm's eps; bnMomentum its momentum
     */
    EfficientNet(Stage[] stages, double dropout, double stochasticDepthProb, int numClasses, int lastChannel, double bnEps,
                 double bnMomentum) {
        checkClasses("EfficientNet", numClasses);
        Sequential f = new Sequential(Layers.convNormActivation(3, stages[0].in(), 3, 2, 1, 1, bnEps, bnMomentum, SiLU::new));
        int total = 0;
        for (Stage s : stages) {
            total += s.layers();
        }
        int blockId = 0;
        for (Stage s : stages) {
            Sequential stage = new Sequential();
            for (int i = 0; i < s.layers(); i++) {
                int in = i == 0 ? s.in() : s.out();
                int stride = i == 0 ? s.stride() : 1;
                double sd = stochasticDepthProb * blockId / total;
                stage.add(new Block(s, in, stride, sd, bnEps, bnMomentum));
                blockId++;
            }
            f.add(stage);
        }
        int lastIn = stages[stages.length - 1].out();
        int lastOut = lastChannel > 0 ? lastChannel : 4 * lastIn;
        f.add(Layers.convNormActivation(lastIn, lastOut, 1, 1, 1, 1, bnEps, bnMomentum, SiLU::new));
        super("EfficientNet", f, new AdaptiveAvgPool2d(1), new Sequential(new Dropout(dropout), new Linear(lastOut, numClasses)));
        Layers.initialise(this, 0);
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Linear l) {
                    double range = 1 / Math.sqrt(l.weight.size(0));
                    Init.uniform_(l.weight, -range, range);
                    Init.zeros_(l.bias);
                }
            }
        }
    }


    private static EfficientNet v1(double width, double depth, double dropout, int numClasses, double eps, double momentum) {
        Stage[] stages = new Stage[B0.length];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = B0[i].scaled(width, depth);
        }
        return new EfficientNet(stages, dropout, 0.2, numClasses, 0, eps, momentum);
    }

    public static EfficientNet efficientnet_b0() {
        return efficientnet_b0(1000);
    }

    public static EfficientNet efficientnet_b0(int numClasses) {
        return v1(1.0, 1.0, 0.2, numClasses, 1e-5, 0.1);
    }

    public static EfficientNet efficientnet_b1() {
        return v1(1.0, 1.1, 0.2, 1000, 1e-5, 0.1);
    }

    public static EfficientNet efficientnet_b2() {
        return v1(1.1, 1.2, 0.3, 1000, 1e-5, 0.1);
    }

    public static EfficientNet efficientnet_b3() {
        return v1(1.2, 1.4, 0.3, 1000, 1e-5, 0.1);
    }

    public static EfficientNet efficientnet_b4() {
        return v1(1.4, 1.8, 0.4, 1000, 1e-5, 0.1);
    }

    public static EfficientNet efficientnet_b5() {
        return v1(1.6, 2.2, 0.4, 1000, 1e-3, 0.01);
    }

    public static EfficientNet efficientnet_b6() {
        return v1(1.8, 2.6, 0.5, 1000, 1e-3, 0.01);
    }

    public static EfficientNet efficientnet_b7() {
        return v1(2.0, 3.1, 0.5, 1000, 1e-3, 0.01);
    }

    public static EfficientNet efficientnet_v2_s() {
        return new EfficientNet(V2_S, 0.2, 0.2, 1000, 1280, 1e-3, 0.1);
    }

    public static EfficientNet efficientnet_v2_m() {
        return new EfficientNet(V2_M, 0.3, 0.2, 1000, 1280, 1e-3, 0.1);
    }

    public static EfficientNet efficientnet_v2_l() {
        return new EfficientNet(V2_L, 0.4, 0.2, 1000, 1280, 1e-3, 0.1);
    }

    public static EfficientNet efficientnet_b0(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b0(), "efficientnet_b0");
    }

    public static EfficientNet efficientnet_b1(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b1(), "efficientnet_b1");
    }

    public static EfficientNet efficientnet_b2(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b2(), "efficientnet_b2");
    }

    public static EfficientNet efficientnet_b3(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b3(), "efficientnet_b3");
    }

    public static EfficientNet efficientnet_b4(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b4(), "efficientnet_b4");
    }

    public static EfficientNet efficientnet_b5(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b5(), "efficientnet_b5");
    }

    public static EfficientNet efficientnet_b6(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b6(), "efficientnet_b6");
    }

    public static EfficientNet efficientnet_b7(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_b7(), "efficientnet_b7");
    }

    public static EfficientNet efficientnet_v2_s(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_v2_s(), "efficientnet_v2_s");
    }

    public static EfficientNet efficientnet_v2_m(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_v2_m(), "efficientnet_v2_m");
    }

    public static EfficientNet efficientnet_v2_l(Weights weights) throws IOException {
        return weights.loadInto(efficientnet_v2_l(), "efficientnet_v2_l");
    }

    /**
     * torchvision's {@code MBConv} and {@code FusedMBConv}, as {@code block} with
     * {@code stochastic_depth} on the residual branch where stride 1 keeps the channels.
     */
    static final class Block extends Module {
        private final Sequential block;
        private final StochasticDepth stochasticDepth;
        private final boolean residual;

        Block(Stage s, int in, int stride, double stochasticDepthProb, double eps, double momentum) {
            residual = stride == 1 && in == s.out();
            int expanded = Layers.makeDivisible(in * s.expandRatio(), 8);
            Sequential layers = new Sequential();
            if (s.fused()) {
                if (expanded != in) {
                    layers.add(Layers.convNormActivation(in, expanded, s.kernel(), stride, 1, 1, eps, momentum, SiLU::new));
                    layers.add(Layers.convNormActivation(expanded, s.out(), 1, 1, 1, 1, eps, momentum, null));
                } else {
                    layers.add(Layers.convNormActivation(in, s.out(), s.kernel(), stride, 1, 1, eps, momentum, SiLU::new));
                }
            } else {
                if (expanded != in) {
                    layers.add(Layers.convNormActivation(in, expanded, 1, 1, 1, 1, eps, momentum, SiLU::new));
                }
                layers.add(Layers.convNormActivation(expanded, expanded, s.kernel(), stride, expanded, 1, eps, momentum, SiLU::new));
                layers.add(new SqueezeExcitation(expanded, Math.max(1, in / 4), SiLU::new, Sigmoid::new));
                layers.add(Layers.convNormActivation(expanded, s.out(), 1, 1, 1, 1, eps, momentum, null));
            }
            block = register("block", layers);
            stochasticDepth = register("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = block.call(x);
            return residual ? stochasticDepth.call(y).add(x) : y;
        }
    }
}
