package dev.cortado.models;

import dev.cortado.nn.AdaptiveAvgPool2d;
import dev.cortado.nn.Conv2d;
import dev.cortado.nn.Module;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Tensor;

import java.util.function.Supplier;

/**
 * torchvision's {@code SqueezeExcitation}: each channel scaled by a gate computed from the
 * channels' means, {@code x · σ(fc2(δ(fc1(avgpool(x)))))}, with 1×1 convolutions {@code fc1} and {@code fc2}.
 */
public final class SqueezeExcitation extends Module {
    private final AdaptiveAvgPool2d avgpool;
    private final Conv2d fc1;
    private final Conv2d fc2;
    private final Module activation;
    private final Module scaleActivation;

    public SqueezeExcitation(int inputChannels, int squeezeChannels, Supplier<Module> activation, Supplier<Module> scaleActivation) {
        avgpool = register("avgpool", new AdaptiveAvgPool2d(1));
        fc1 = register("fc1", new Conv2d(inputChannels, squeezeChannels, 1, 1, ConvOptions.DEFAULT, true));
        fc2 = register("fc2", new Conv2d(squeezeChannels, inputChannels, 1, 1, ConvOptions.DEFAULT, true));
        this.activation = register("activation", activation.get());
        this.scaleActivation = register("scale_activation", scaleActivation.get());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor scale = scaleActivation.call(fc2.call(activation.call(fc1.call(avgpool.call(x)))));
        return scale.mul(x);
    }
}
