package dev.cortado.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.util.List;

/** GoogLeNet's and Inception v3's {@code BasicConv2d}: convolution without bias, batch norm with eps 0.001, ReLU. */
final class BasicConv2d extends Module {
    final Conv2d conv;
    private final BatchNorm2d bn;

    BasicConv2d(int in, int out, int kernelH, int kernelW, ConvOptions options) {
        conv = register("conv", new Conv2d(in, out, kernelH, kernelW, options, false));
        bn = register("bn", new BatchNorm2d(out, 1e-3, 0.1, true, true));
    }

    BasicConv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, kernel, ConvOptions.DEFAULT.stride(stride).padding(padding));
    }

    @Override
    public Tensor forward(Tensor x) {
        return bn.call(conv.call(x)).relu();
    }

    /**
     * The inputs' preprocessing undone and redone ({@code transform_input=True}): the pretrained
     * GoogLeNet and Inception v3 were trained on images scaled to [-1, 1], and their weights'
     * preprocessing normalises with ImageNet's statistics, so each channel is mapped from one to
     * the other: x · (std / 0.5) + (mean − 0.5) / 0.5.
     */
    static Tensor transformInput(Tensor x) {
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        Tensor[] channels = new Tensor[3];
        for (int c = 0; c < 3; c++) {
            channels[c] = x.narrow(1, c, 1).mul(std[c] / 0.5).add((mean[c] - 0.5) / 0.5);
        }
        return Tensor.cat(List.of(channels), 1);
    }
}
