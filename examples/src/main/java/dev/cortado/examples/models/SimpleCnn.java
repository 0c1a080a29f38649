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

import java.util.ArrayList;
import java.util.List;

/**
 * The inductive-bias notebook's SimpleCNN: k×k convolutions with {@code filters} channels,
 * reflect padding and ReLU ({@code depth} of them, two by default), global max (or average)
 * pooling over the image, and a Linear from the filters to the classes. With 3 filters of size 7
 * and 3 classes: 606 parameters. The convolutions are {@code conv1}, {@code conv2}, … as in the notebook.
 */
public final class SimpleCnn extends Module {
    private final List<Conv2d> convs = new ArrayList<>();
    final Linear fc;
    private final boolean maxPool;
    private final AdaptiveAvgPool2d avg = register("avg", new AdaptiveAvgPool2d(1));

    public SimpleCnn(int filters, int kernel, int classes, boolean maxPool) {
        this(filters, kernel, classes, maxPool, 2);
    }

    public SimpleCnn(int filters, int kernel, int classes, boolean maxPool, int depth) {
        if (depth < 1 || filters < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("SimpleCnn: needs depth >= 1, filters >= 1 and an odd kernel, got depth " + depth + ", filters "
                    + filters + ", kernel " + kernel);
        }
        ConvOptions same = ConvOptions.DEFAULT.padding(kernel / 2).paddingMode(PadMode.REFLECT);
        for (int i = 0; i < depth; i++) {
            convs.add(register("conv" + (i + 1), new Conv2d(i == 0 ? 1 : filters, filters, kernel, same)));
        }
        fc = register("fc", new Linear(filters, classes));
        this.maxPool = maxPool;
    }

    /** Convolution {@code i}, counting from 1 like the names. */
    public Conv2d conv(int i) {
        return convs.get(i - 1);
    }

    public int depth() {
        return convs.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Conv2d c : convs) {
            x = c.call(x).relu();
        }
        Tensor pooled = maxPool ? Pooling.maxPool2d(x, PoolOptions.of(x.size(2), x.size(3))) : avg.call(x);
        return fc.call(pooled.flatten(1, -1));
    }
}
