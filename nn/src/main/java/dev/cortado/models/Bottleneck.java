package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's {@code Bottleneck} (ResNet-50 and deeper, ResNeXt, wide ResNets): 1×1 down to the
 * width, 3×3 with the block's stride, groups and dilation (the "ResNet v1.5" placement of the
 * stride), 1×1 up to four times planes, each with batch norm, plus the shortcut, then ReLU.
 */
public final class Bottleneck extends Module {
    static final int EXPANSION = 4;
    final Conv2d conv1;
    final BatchNorm2d bn1;
    final Conv2d conv2;
    final BatchNorm2d bn2;
    final Conv2d conv3;
    final BatchNorm2d bn3;
    private final Module downsample;

    Bottleneck(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth, int dilation) {
        int width = (int) (planes * (baseWidth / 64.0)) * groups;
        conv1 = register("conv1", Layers.conv1x1(inplanes, width, 1));
        bn1 = register("bn1", new BatchNorm2d(width));
        conv2 = register("conv2", Layers.conv3x3(width, width, stride, groups, dilation));
        bn2 = register("bn2", new BatchNorm2d(width));
        conv3 = register("conv3", Layers.conv1x1(width, planes * EXPANSION, 1));
        bn3 = register("bn3", new BatchNorm2d(planes * EXPANSION));
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.call(conv1.call(x)).relu();
        out = bn2.call(conv2.call(out)).relu();
        out = bn3.call(conv3.call(out));
        Tensor identity = downsample == null ? x : downsample.call(x);
        return out.add(identity).relu();
    }
}
