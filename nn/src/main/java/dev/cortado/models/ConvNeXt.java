package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Flatten;
import dev.cortado.nn.GELU;
import dev.cortado.nn.Init;
import dev.cortado.nn.LayerNorm;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;

/**
 * torchvision's {@code ConvNeXt}, tiny, small, base and large ({@link #convnext_tiny()}, ...): a
 * 4×4 stride-4 stem with layer norm, four stages of ConvNeXt blocks (7×7 depthwise convolution,
 * layer norm over channels, a 4× wider MLP with GELU, a learned per-channel layer scale starting
 * at 1e-6, stochastic depth rising linearly over the blocks) with layer norm and a 2×2 stride-2
 * convolution between them, global average pooling and {@code classifier} (layer norm, Linear).
 */
public final class ConvNeXt extends PooledClassifier {
    /** A stage: its width, the next stage's (0 after the last), and its blocks. */
    record Stage(int channels, int next, int blocks) {
    }

    ConvNeXt(Stage[] stages, double stochasticDepthProb, int numClasses) {
        checkClasses("ConvNeXt", numClasses);
        Sequential f = new Sequential(new Sequential(new Conv2d(3, stages[0].channels(), 4, 4, ConvOptions.DEFAULT.stride(4), true),
                new LayerNorm2d(stages[0].channels(), 1e-6)));
        int total = 0;
        for (Stage s : stages) {
            total += s.blocks();
        }
        int blockId = 0;
        for (Stage s : stages) {
            Sequential stage = new Sequential();
            for (int i = 0; i < s.blocks(); i++) {
                stage.add(new Block(s.channels(), 1e-6, stochasticDepthProb * blockId / (total - 1.0)));
                blockId++;
            }
            f.add(stage);
            if (s.next() > 0) {
                f.add(new Sequential(new LayerNorm2d(s.channels(), 1e-6),
                        new Conv2d(s.channels(), s.next(), 2, 2, ConvOptions.DEFAULT.stride(2), true)));
            }
        }
        Stage last = stages[stages.length - 1];
        int lastChannels = last.next() > 0 ? last.next() : last.channels();
        super("ConvNeXt", f, new AdaptiveAvgPool2d(1), new Sequential(new LayerNorm2d(lastChannels, 1e-6), new Flatten(1, -1),
                new Linear(lastChannels, numClasses)), false);
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                Tensor w = m instanceof Conv2d c ? c.weight : m instanceof Linear l ? l.weight : null;
                Tensor b = m instanceof Conv2d c ? c.bias : m instanceof Linear l ? l.bias : null;
                if (w != null) {
                    Init.truncNormal_(w, 0, 0.02, -2, 2);
                    if (b != null) {
                        Init.zeros_(b);
                    }
                }
            }
        }
    }

    public static ConvNeXt convnext_tiny() {
        return convnext_tiny(1000);
    }

    public static ConvNeXt convnext_tiny(int numClasses) {
        return new ConvNeXt(new Stage[] {new Stage(96, 192, 3), new Stage(192, 384, 3), new Stage(384, 768, 9), new Stage(768, 0, 3)}, 0.1,
                numClasses);
    }

    public static ConvNeXt convnext_small() {
        return new ConvNeXt(new Stage[] {new Stage(96, 192, 3), new Stage(192, 384, 3), new Stage(384, 768, 27), new Stage(768, 0, 3)}, 0.4,
                1000);
    }

    public static ConvNeXt convnext_base() {
        return new ConvNeXt(new Stage[] {new Stage(128, 256, 3), new Stage(256, 512, 3), new Stage(512, 1024, 27), new Stage(1024, 0, 3)},
                0.5, 1000);
    }

    public static ConvNeXt convnext_large() {
        return new ConvNeXt(new Stage[] {new Stage(192, 384, 3), new Stage(384, 768, 3), new Stage(768, 1536, 27), new Stage(1536, 0, 3)},
                0.5, 1000);
    }

    public static ConvNeXt convnext_tiny(Weights weights) throws IOException {
        return weights.loadInto(convnext_tiny(), "convnext_tiny");
    }

    public static ConvNeXt convnext_small(Weights weights) throws IOException {
        return weights.loadInto(convnext_small(), "convnext_small");
    }

    public static ConvNeXt convnext_base(Weights weights) throws IOException {
        return weights.loadInto(convnext_base(), "convnext_base");
    }

    public static ConvNeXt convnext_large(Weights weights) throws IOException {
        return weights.loadInto(convnext_large(), "convnext_large");
    }

    /** torchvision's {@code CNBlock}: {@code block}, {@code layer_scale} and stochastic depth, plus the input. */
    static final class Block extends Module {
        private final Sequential block;
        private final Tensor layerScale;
        private final StochasticDepth stochasticDepth;

        Block(int dim, double layerScale, double stochasticDepthProb) {
            block = register("block", new Sequential(new Conv2d(dim, dim, 7, 7, ConvOptions.DEFAULT.padding(3).groups(dim), true),
                    new Permute(0, 2, 3, 1), new LayerNorm(new int[] {dim}, 1e-6, true), new Linear(dim, 4 * dim), new GELU(),
                    new Linear(4 * dim, dim), new Permute(0, 3, 1, 2)));
            this.layerScale = registerParameter("layer_scale", Tensor.full(new int[] {dim, 1, 1}, layerScale));
            stochasticDepth = register("stochastic_depth", new StochasticDepth(stochasticDepthProb, "row"));
        }

        @Override
        public Tensor forward(Tensor x) {
            return stochasticDepth.call(layerScale.mul(block.call(x))).add(x);
        }
    }
}
