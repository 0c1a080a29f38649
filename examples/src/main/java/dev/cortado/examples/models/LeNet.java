package dev.cortado.examples.models;

import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

/**
 * The MNIST notebook's LeNet variant: two padded 3×3 convolutions (6 and 16 filters), each
 * followed by ReLU and 2×2 max pooling, then 784-120-84-10 (106,154 parameters).
 */
public final class LeNet extends Module {
    final Conv2d conv1 = register("conv1", new Conv2d(1, 6, 3, ConvOptions.DEFAULT.padding(1)));
    final MaxPool2d pool1 = register("pool1", new MaxPool2d(2));
    final Conv2d conv2 = register("conv2", new Conv2d(6, 16, 3, ConvOptions.DEFAULT.padding(1)));
    final MaxPool2d pool2 = register("pool2", new MaxPool2d(2));
    final Linear fc1 = register("fc1", new Linear(16 * 7 * 7, 120));
    final Linear fc2 = register("fc2", new Linear(120, 84));
    final Linear fc3 = register("fc3", new Linear(84, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = pool1.call(conv1.call(x).relu());
        x = pool2.call(conv2.call(x).relu());
        x = fc1.call(x.flatten(1, -1)).relu();
        return fc3.call(fc2.call(x).relu());
    }
}
