package dev.cortado.examples.models;

import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.MaxPool2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/**
 * The FashionMNIST notebook's ConvNet: conv 3×3 (32) + ReLU + pool, conv 3×3 (64) + ReLU + pool
 * (28 → 26 → 13 → 11 → 5), then 1600-128-10 with a ReLU on the logits, as the notebook has it.
 */
public final class FashionConvNet extends Module {
    final Conv2d conv1 = register("conv1", new Conv2d(1, 32, 3));
    final Conv2d conv2 = register("conv2", new Conv2d(32, 64, 3));
    final MaxPool2d pool = register("pool", new MaxPool2d(2));
    final Linear fc1 = register("fc1", new Linear(64 * 5 * 5, 128));
    final Linear fc2 = register("fc2", new Linear(128, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = pool.call(conv1.call(x).relu());
        x = pool.call(conv2.call(x).relu());
        return fc2.call(fc1.call(x.flatten(1, -1)).relu()).relu();
    }
}
