package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.ConvOptions;

import java.util.function.Supplier;

/** torchvision's layer helpers and its initialisation rule, shared by the classifiers. */
final class Layers {
    private Layers() {
    }

    /** torchvision's {@code conv3x3}: 3×3, padding = dilation, no bias. */
    static Conv2d conv3x3(int in, int out, int stride, int groups, int dilation) {
        return new Conv2d(in, out, 3, 3, ConvOptions.DEFAULT.stride(stride).padding(dilation).groups(groups).dilation(dilation), false);
    }

    /** torchvision's {@code conv1x1}: 1×1, no bias. */
    static Conv2d conv1x1(int in, int out, int stride) {
        return new Conv2d(in, out, 1, 1, ConvOptions.DEFAULT.stride(stride), false);
    }

    /**
     * torchvision's {@code Conv2dNormActivation}: a convolution with "same" padding for odd
     * kernels ((k - 1) / 2 · dilation) and no bias, batch norm with the given eps and momentum,
     * then the activation unless null; named "0", "1", "2" as its Sequential.
     */
    static Sequential convNormActivation(int in, int out, int kernel, int stride, int groups, int dilation, double eps,
                                         double momentum, Supplier<Module> activation) {
        Sequential s = new Sequential(new Conv2d(in, out, kernel, kernel, ConvOptions.DEFAULT.stride(stride)
                .padding((kernel - 1) / 2 * dilation).groups(groups).dilation(dilation), false),
                new BatchNorm2d(out, eps, momentum, true, true));
        if (activation != null) {
            s.add(activation.get());
        }
        return s;
    }

    /** torchvision's {@code _make_divisible}: v rounded to a multiple of divisor, at least divisor and not below 90 % of v. */
    static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    /**
     * ResNet's and VGG's initialisation: convolutions Kaiming normal with fan_out (biases 0), batch
     * norms weight 1 and bias 0, and, when {@code linearStd} is positive, linear layers normal
     * with that std (biases 0); otherwise linear layers keep PyTorch's default.
     */
    static void initialise(Module model, double linearStd) {
        try (var off = GradMode.off()) {
            for (Module m : model.modules()) {
                if (m instanceof Conv2d c) {
                    Init.kaimingNormal_(c.weight, 0, Init.FanMode.FAN_OUT, "relu");
                    if (c.bias != null) {
                        Init.zeros_(c.bias);
                    }
                } else if (m instanceof BatchNorm2d b) {
                    Init.ones_(b.weight);
                    Init.zeros_(b.bias);
                } else if (m instanceof Linear l && linearStd > 0) {
                    Init.normal_(l.weight, 0, linearStd);
                    Init.zeros_(l.bias);
                }
            }
        }
    }
}
