package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.F;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.List;

/**
 * torchvision's {@code ShuffleNetV2(stages_repeats, stages_out_channels, num_classes=1000)}: a
 * 3×3 stride-2 stem and a max pool, three stages of units that split the channels in two, convolve
 * one half (1×1, depthwise 3×3, 1×1) and shuffle the halves together, a 1×1 to
 * {@code stages_out_channels[4]}, the spatial mean and {@code fc}. PyTorch's default initialisation.
 */
public final class ShuffleNetV2 extends FcClassifier {
    private final Sequential conv1;
    private final MaxPool2d maxpool;
    private final Sequential stage2;
    private final Sequential stage3;
    private final Sequential stage4;
    private final Sequential conv5;

    public ShuffleNetV2(int[] stagesRepeats, int[] stagesOutChannels, int numClasses) {
        if (stagesRepeats.length != 3 || java.util.Arrays.stream(stagesRepeats).anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("ShuffleNetV2: expected stages_repeats as 3 positive ints, got "
                    + java.util.Arrays.toString(stagesRepeats));
        }
        if (stagesOutChannels.length != 5 || java.util.Arrays.stream(stagesOutChannels).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("ShuffleNetV2: expected stages_out_channels as 5 positive ints, got "
                    + java.util.Arrays.toString(stagesOutChannels));
        }
        PooledClassifier.checkClasses("ShuffleNetV2", numClasses);
        int in = stagesOutChannels[0];
        conv1 = register("conv1", new Sequential(new Conv2d(3, in, 3, 3, ConvOptions.DEFAULT.stride(2).padding(1), false),
                new BatchNorm2d(in), new ReLU()));
        maxpool = register("maxpool", new MaxPool2d(3, 2, 1));
        Sequential[] stages = new Sequential[3];
        for (int s = 0; s < 3; s++) {
            int out = stagesOutChannels[s + 1];
            Sequential stage = new Sequential(new InvertedResidual(in, out, 2));
            for (int i = 1; i < stagesRepeats[s]; i++) {
                stage.add(new InvertedResidual(out, out, 1));
            }
            stages[s] = register("stage" + (s + 2), stage);
            in = out;
        }
        stage2 = stages[0];
        stage3 = stages[1];
        stage4 = stages[2];
        int last = stagesOutChannels[4];
        conv5 = register("conv5", new Sequential(new Conv2d(in, last, 1, 1, ConvOptions.DEFAULT, false), new BatchNorm2d(last), new ReLU()));
        registerHead("fc", new Linear(last, numClasses));
    }

    public static ShuffleNetV2 shufflenet_v2_x0_5() {
        return new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 48, 96, 192, 1024}, 1000);
    }

    public static ShuffleNetV2 shufflenet_v2_x1_0() {
        return new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 116, 232, 464, 1024}, 1000);
    }

    public static ShuffleNetV2 shufflenet_v2_x1_5() {
        return new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 176, 352, 704, 1024}, 1000);
    }

    public static ShuffleNetV2 shufflenet_v2_x2_0() {
        return new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 244, 488, 976, 2048}, 1000);
    }

    public static ShuffleNetV2 shufflenet_v2_x0_5(Weights weights) throws IOException {
        return weights.loadInto(shufflenet_v2_x0_5(), "shufflenet_v2_x0_5");
    }

    public static ShuffleNetV2 shufflenet_v2_x1_0(Weights weights) throws IOException {
        return weights.loadInto(shufflenet_v2_x1_0(), "shufflenet_v2_x1_0");
    }

    public static ShuffleNetV2 shufflenet_v2_x1_5(Weights weights) throws IOException {
        return weights.loadInto(shufflenet_v2_x1_5(), "shufflenet_v2_x1_5");
    }

    public static ShuffleNetV2 shufflenet_v2_x2_0(Weights weights) throws IOException {
        return weights.loadInto(shufflenet_v2_x2_0(), "shufflenet_v2_x2_0");
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("ShuffleNetV2", x);
        Tensor y = conv5.call(stage4.call(stage3.call(stage2.call(maxpool.call(conv1.call(x))))));
        return headLayer().call(y.mean(2, 3));
    }


    /**
     * ShuffleNetV2's unit. Stride 1: the first half of the channels passes through and the second
     * goes through {@code branch2}. Stride 2: the whole input goes through both branches
     * ({@code branch1}: depthwise 3×3 then 1×1), doubling the channels while halving the size.
     */
    static final class InvertedResidual extends Module {
        private final Sequential branch1;
        private final Sequential branch2;
        private final int stride;

        InvertedResidual(int in, int out, int stride) {
            int branch = out / 2;
            if (stride == 1 && in != branch << 1) {
                throw new IllegalArgumentException("ShuffleNetV2: a stride-1 unit needs in = out / 2 · 2, got in " + in + " and out " + out);
            }
            this.stride = stride;
            branch1 = register("branch1", stride > 1
                    ? new Sequential(depthwise(in, stride), new BatchNorm2d(in), new Conv2d(in, branch, 1, 1, ConvOptions.DEFAULT, false),
                            new BatchNorm2d(branch), new ReLU())
                    : new Sequential());
            branch2 = register("branch2", new Sequential(new Conv2d(stride > 1 ? in : branch, branch, 1, 1, ConvOptions.DEFAULT, false),
                    new BatchNorm2d(branch), new ReLU(), depthwise(branch, stride), new BatchNorm2d(branch),
                    new Conv2d(branch, branch, 1, 1, ConvOptions.DEFAULT, false), new BatchNorm2d(branch), new ReLU()));
        }

        private static Conv2d depthwise(int channels, int stride) {
            return new Conv2d(channels, channels, 3, 3, ConvOptions.DEFAULT.stride(stride).padding(1).groups(channels), false);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out;
            if (stride == 1) {
                List<Tensor> halves = x.chunk(2, 1);
                out = Tensor.cat(List.of(halves.get(0), branch2.call(halves.get(1))), 1);
            } else {
                out = Tensor.cat(List.of(branch1.call(x), branch2.call(x)), 1);
            }
            // Channel g·(C/2) + i moves to 2i + g, so the next unit's halves mix both branches.
            return F.channelShuffle(out, 2);
        }
    }
}
