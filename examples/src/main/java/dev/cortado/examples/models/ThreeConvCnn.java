package dev.cortado.examples.models;

import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * The MNIST notebook's CNN: three padded 3×3 convolutions (16, 32, 64 filters) with ReLU and 2×2
 * max pooling (28 → 14 → 7 → 3), then 576-128-10 (98,442 parameters).
 */
public final class ThreeConvCnn extends Module {
    final Conv2d conv1 = register("conv1", new Conv2d(1, 16, 3, ConvOptions.DEFAULT.padding(1)));
    final Conv2d conv2 = register("conv2", new Conv2d(16, 32, 3, ConvOptions.DEFAULT.padding(1)));
    final Conv2d conv3 = register("conv3", new Conv2d(32, 64, 3, ConvOptions.DEFAULT.padding(1)));
    final MaxPool2d pool = register("pool", new MaxPool2d(2));
    final Linear fc1 = register("fc1", new Linear(64 * 3 * 3, 128));
    final Linear fc2 = register("fc2", new Linear(128, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = pool.call(conv1.call(x).relu());
        x = pool.call(conv2.call(x).relu());
        x = pool.call(conv3.call(x).relu());
        return fc2.call(fc1.call(x.flatten(1, -1)).relu());
    }
}
