package dev.cortado.examples.models;

import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * The CIFAR-10 notebook's ThreeLayerConvNet: conv 5×5 (padding 2) + ReLU, conv 3×3 (padding 1)
 * + ReLU, then a Linear from every pixel of every channel to the classes. With 100 and 100
 * channels on 3×32×32 inputs it has 1,121,710 parameters.
 */
public final class ThreeLayerConvNet extends Module {
    final Conv2d conv1;
    final Conv2d conv2;
    final Linear fc;

    public ThreeLayerConvNet(int inChannels, int channel1, int channel2, int size, int classes) {
        conv1 = register("conv1", new Conv2d(inChannels, channel1, 5, ConvOptions.DEFAULT.padding(2)));
        conv2 = register("conv2", new Conv2d(channel1, channel2, 3, ConvOptions.DEFAULT.padding(1)));
        fc = register("fc", new Linear(channel2 * size * size, classes));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = conv2.call(conv1.call(x).relu()).relu();
        return fc.call(x.flatten(1, -1));
    }
}
