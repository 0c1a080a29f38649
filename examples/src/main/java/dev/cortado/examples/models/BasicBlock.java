package dev.cortado.examples.models;

import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Tensor;

import java.util.List;

/**
 * conv 3×3 → BN → ReLU → conv 3×3 → BN, plus the shortcut, then ReLU. Where the block halves the
 * resolution and widens the channels, the shortcut is a 2×2 max pool with stride 2 followed by
 * zero channels (the parameter-free option of the ResNet paper); without {@code residual} there
 * is no shortcut at all.
 */
final class BasicBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final int stride;
    private final int extraChannels;
    private final boolean residual;

    BasicBlock(int in, int out, int stride, boolean residual) {
        conv1 = register("conv1", new Conv2d(in, out, 3, 3, ConvOptions.DEFAULT.stride(stride).padding(1), false));
        bn1 = register("bn1", new BatchNorm2d(out));
        conv2 = register("conv2", new Conv2d(out, out, 3, 3, ConvOptions.DEFAULT.padding(1), false));
        bn2 = register("bn2", new BatchNorm2d(out));
        this.stride = stride;
        this.extraChannels = out - in;
        this.residual = residual;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = bn2.call(conv2.call(bn1.call(conv1.call(x)).relu()));
        if (!residual) {
            return y.relu();
        }
        Tensor shortcut = x;
        if (stride > 1) {
            shortcut = Pooling.maxPool2d(shortcut, PoolOptions.of(stride));
        }
        if (extraChannels > 0) {
            // Zero channels appended on the shortcut's own device: zeros made on the host and
            // uploaded would wait for a GPU's queue every step.
            Tensor zeros = Tensor.zeros(new int[] {shortcut.size(0), extraChannels, shortcut.size(2), shortcut.size(3)}, DType.FLOAT32,
                    shortcut.device());
            shortcut = Tensor.cat(List.of(shortcut, zeros), 1);
        }
        return y.add(shortcut).relu();
    }
}
