package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's {@code BasicBlock} (ResNet-18 and -34): two 3×3 convolutions with batch norm, the
 * first with the block's stride, plus the shortcut (the downsample branch where the shape changes),
 * then ReLU.
 */
public final class BasicBlock extends Module {
    static final int EXPANSION = 1;
    final Conv2d conv1;
    final BatchNorm2d bn1;
    final Conv2d conv2;
    final BatchNorm2d bn2;
    private final Module downsample;

    BasicBlock(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth, int dilation) {
        if (groups != 1 || baseWidth != 64) {
            throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64, got " + groups + " and " + baseWidth);
        }
        if (dilation > 1) {
            throw new IllegalArgumentException("BasicBlock does not support dilation > 1 (replace_stride_with_dilation needs Bottleneck blocks)");
        }
        conv1 = register("conv1", Layers.conv3x3(inplanes, planes, stride, 1, 1));
        bn1 = register("bn1", new BatchNorm2d(planes));
        conv2 = register("conv2", Layers.conv3x3(planes, planes, 1, 1, 1));
        bn2 = register("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn2.call(conv2.call(bn1.call(conv1.call(x)).relu()));
        Tensor identity = downsample == null ? x : downsample.call(x);
        return out.add(identity).relu();
    }
}
