package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ImageNet {@code ResNet}: a 7×7 stride-2 stem and a 3×3 max pool, four stages
 * ({@code layer1} ... {@code layer4}) of basic or bottleneck blocks at 64, 128, 256 and 512
 * planes, global average pooling and {@code fc}. The factories are torchvision's
 * ({@link #resnet18()}, {@link #resnet50()}, {@link #resnext50_32x4d()}, {@link #wide_resnet50_2()},
 * ...); with {@link Weights} they load the ImageNet weights:
 * <pre>{@code
 * ResNet model = ResNet.resnet18(Weights.RESNET18_IMAGENET1K_V1);   // resnet18(weights="IMAGENET1K_V1")
 * }</pre>
 * Expects (N, 3, H, W) images normalised as {@link Weights#MEAN} and {@link Weights#STD}.
 */
public final class ResNet extends FcClassifier {
    /** The block type of the stages. */
    public enum Block {
        BASIC(BasicBlock.EXPANSION),
        BOTTLENECK(Bottleneck.EXPANSION);

        final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final MaxPool2d maxpool;
    private final List<Sequential> stages = new ArrayList<>();
    private final AdaptiveAvgPool2d avgpool;
    private final int groups;
    private final int baseWidth;
    private int inplanes = 64;
    private int dilation = 1;

    /**
     * {@code ResNet(block, layers, num_classes, zero_init_residual, groups, width_per_group,
     * replace_stride_with_dilation)}.
     *
     * @param layers                    blocks per stage, four numbers ({2, 2, 2, 2} for ResNet-18)
     * @param zeroInitResidual          start each block's last batch norm at weight 0, so that blocks begin as identities
     * @param replaceStrideWithDilation null, or three flags: stages 2 to 4 dilate instead of striding
     */
    public ResNet(Block block, int[] layers, int numClasses, boolean zeroInitResidual, int groups, int widthPerGroup,
                  boolean[] replaceStrideWithDilation) {
        if (layers.length != 4) {
            throw new IllegalArgumentException("ResNet: layers should give the blocks of 4 stages, got " + layers.length + " numbers");
        }
        for (int n : layers) {
            if (n < 1) {
                throw new IllegalArgumentException("ResNet: every stage needs at least one block, got " + java.util.Arrays.toString(layers));
            }
        }
        boolean[] dilate = replaceStrideWithDilation == null ? new boolean[3] : replaceStrideWithDilation;
        if (dilate.length != 3) {
            throw new IllegalArgumentException("ResNet: replace_stride_with_dilation should be null or a 3-element array, got "
                    + dilate.length + " elements");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("ResNet: num_classes must be positive, got " + numClasses);
        }
        this.groups = groups;
        this.baseWidth = widthPerGroup;
        conv1 = register("conv1", new Conv2d(3, 64, 7, 7, ConvOptions.DEFAULT.stride(2).padding(3), false));
        bn1 = register("bn1", new BatchNorm2d(64));
        maxpool = register("maxpool", new MaxPool2d(3, 2, 1));
        int[] planes = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            stages.add(register("layer" + (s + 1), makeLayer(block, planes[s], layers[s], s == 0 ? 1 : 2, s > 0 && dilate[s - 1])));
        }
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        registerHead("fc", new Linear(512 * block.expansion, numClasses));
        Layers.initialise(this, 0);
        if (zeroInitResidual) {
            try (var off = GradMode.off()) {
                for (Module m : modules()) {
                    if (m instanceof Bottleneck b) {
                        Init.zeros_(b.bn3.weight);
                    } else if (m instanceof BasicBlock b) {
                        Init.zeros_(b.bn2.weight);
                    }
                }
            }
        }
    }

    private Sequential makeLayer(Block block, int planes, int blocks, int stride, boolean dilate) {
        int previousDilation = dilation;
        if (dilate) {
            dilation *= stride;
            stride = 1;
        }
        Module downsample = null;
        if (stride != 1 || inplanes != planes * block.expansion) {
            downsample = new Sequential(Layers.conv1x1(inplanes, planes * block.expansion, stride), new BatchNorm2d(planes * block.expansion));
        }
        Sequential layer = new Sequential();
        layer.add(block(block, inplanes, planes, stride, downsample, previousDilation));
        inplanes = planes * block.expansion;
        for (int i = 1; i < blocks; i++) {
            layer.add(block(block, inplanes, planes, 1, null, dilation));
        }
        return layer;
    }

    private Module block(Block block, int in, int planes, int stride, Module downsample, int blockDilation) {
        return block == Block.BASIC ? new BasicBlock(in, planes, stride, downsample, groups, baseWidth, blockDilation)
                : new Bottleneck(in, planes, stride, downsample, groups, baseWidth, blockDilation);
    }

    @Override
    public Tensor forward(Tensor x) {
        ModelInputs.requireRgbBatch("ResNet", x);
        x = maxpool.call(bn1.call(conv1.call(x)).relu());
        for (Sequential stage : stages) {
            x = stage.call(x);
        }
        return headLayer().call(avgpool.call(x).flatten(1));
    }


    // ---- torchvision's factories ----------------------------------------------------------

    public static ResNet resnet18() {
        return resnet18(1000);
    }

    public static ResNet resnet18(int numClasses) {
        return new ResNet(Block.BASIC, new int[] {2, 2, 2, 2}, numClasses, false, 1, 64, null);
    }

    public static ResNet resnet34() {
        return resnet34(1000);
    }

    public static ResNet resnet34(int numClasses) {
        return new ResNet(Block.BASIC, new int[] {3, 4, 6, 3}, numClasses, false, 1, 64, null);
    }

    public static ResNet resnet50() {
        return resnet50(1000);
    }

    public static ResNet resnet50(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, numClasses, false, 1, 64, null);
    }

    public static ResNet resnet101() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, 1000, false, 1, 64, null);
    }

    public static ResNet resnet152() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 8, 36, 3}, 1000, false, 1, 64, null);
    }

    public static ResNet resnext50_32x4d() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, 1000, false, 32, 4, null);
    }

    public static ResNet resnext101_32x8d() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, 1000, false, 32, 8, null);
    }

    public static ResNet resnext101_64x4d() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, 1000, false, 64, 4, null);
    }

    public static ResNet wide_resnet50_2() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, 1000, false, 1, 128, null);
    }

    public static ResNet wide_resnet101_2() {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, 1000, false, 1, 128, null);
    }

    /** The architecture the weights are for, with the weights loaded (found in the torch hub cache or downloaded). */
    public static ResNet resnet18(Weights weights) throws IOException {
        return weights.loadInto(resnet18(), "resnet18");
    }

    public static ResNet resnet34(Weights weights) throws IOException {
        return weights.loadInto(resnet34(), "resnet34");
    }

    public static ResNet resnet50(Weights weights) throws IOException {
        return weights.loadInto(resnet50(), "resnet50");
    }

    public static ResNet resnet101(Weights weights) throws IOException {
        return weights.loadInto(resnet101(), "resnet101");
    }

    public static ResNet resnet152(Weights weights) throws IOException {
        return weights.loadInto(resnet152(), "resnet152");
    }

    public static ResNet resnext50_32x4d(Weights weights) throws IOException {
        return weights.loadInto(resnext50_32x4d(), "resnext50_32x4d");
    }

    public static ResNet resnext101_32x8d(Weights weights) throws IOException {
        return weights.loadInto(resnext101_32x8d(), "resnext101_32x8d");
    }

    public static ResNet resnext101_64x4d(Weights weights) throws IOException {
        return weights.loadInto(resnext101_64x4d(), "resnext101_64x4d");
    }

    public static ResNet wide_resnet50_2(Weights weights) throws IOException {
        return weights.loadInto(wide_resnet50_2(), "wide_resnet50_2");
    }

    public static ResNet wide_resnet101_2(Weights weights) throws IOException {
        return weights.loadInto(wide_resnet101_2(), "wide_resnet101_2");
    }
}
