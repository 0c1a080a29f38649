package dev.cortado.examples.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ModuleList;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * The ResNet notebook's CIFAR ResNet-n: a 3×3 stem to 16 channels, three stages of {@code n}
 * basic blocks at 16, 32 and 64 channels (the first block of stages 2 and 3 halves the
 * resolution), global average pooling and a Linear: depth 6n + 2 (20, 32, 44, 56, 110). With
 * {@code residual} false the same net has no shortcuts (the "plain" baseline). Convolutions use
 * Kaiming normal initialisation with fan_out; batch norms start at weight 1, bias 0.
 */
public final class ResNet extends Module {
    private final Conv2d stem;
    private final BatchNorm2d stemBn;
    private final ModuleList blocks = new ModuleList();
    private final AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(1);
    private final Linear fc;

    public ResNet(int n, int inChannels, int classes, boolean residual) {
        if (n < 1) {
            throw new IllegalArgumentException("ResNet: n (blocks per stage) must be at least 1, got " + n);
        }
        stem = register("conv1", new Conv2d(inChannels, 16, 3, 3, ConvOptions.DEFAULT.padding(1), false));
        stemBn = register("bn1", new BatchNorm2d(16));
        int channels = 16;
        for (int stage = 0; stage < 3; stage++) {
            int width = 16 << stage;
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                blocks.add(new BasicBlock(channels, width, stride, residual));
                channels = width;
            }
        }
        register("blocks", blocks);
        register("pool", pool);
        fc = register("fc", new Linear(64, classes));
        try (var off = GradMode.off()) {
            for (Module m : modules()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight, 0, Init.FanMode.FAN_OUT, "relu");
                }
            }
        }
    }

    /** The depth 6n + 2 that names the net. */
    public static int depth(int n) {
        return 6 * n + 2;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = stemBn.call(stem.call(x)).relu();
        for (Module b : blocks) {
            x = b.call(x);
        }
        return fc.call(pool.call(x).flatten(1, -1));
    }
}
