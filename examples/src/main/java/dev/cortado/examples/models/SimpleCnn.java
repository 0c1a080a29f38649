package dev.cortado.examples.models;

import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

/**
 * The inductive-bias notebook's SimpleCNN: two k×k convolutions with {@code filters} channels,
 * reflect padding and ReLU, global max (or average) pooling over the image, and a Linear from
 * the filters to the classes. With 3 filters of size 7 and 3 classes: 606 parameters.
 */
public final class SimpleCnn extends Module {
    public final Conv2d conv1;
    public final Conv2d conv2;
    final Linear fc;
    private final boolean maxPool;
    private final AdaptiveAvgPool2d avg = register("avg", new AdaptiveAvgPool2d(1));

    public SimpleCnn(int filters, int kernel, int classes, boolean maxPool) {
        ConvOptions same = ConvOptions.DEFAULT.padding(kernel / 2).paddingMode(PadMode.REFLECT);
        conv1 = register("conv1", new Conv2d(1, filters, kernel, same));
        conv2 = register("conv2", new Conv2d(filters, filters, kernel, same));
        fc = register("fc", new Linear(filters, classes));
        this.maxPool = maxPool;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = conv2.forward(conv1.forward(x).relu()).relu();
        Tensor pooled = maxPool ? Pooling.maxPool2d(x, PoolOptions.of(x.size(2), x.size(3))) : avg.forward(x);
        return fc.forward(pooled.flatten(1, -1));
    }
}
