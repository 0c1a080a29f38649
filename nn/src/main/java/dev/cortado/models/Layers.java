package dev.cortado.models;

import dev.cortado.autograd.GradMode;
import dev.cortado.nn.BatchNorm2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Init;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;

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
