package dev.cortado.models;

import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/**
 * A Sequential whose children keep the names they are given, as torchvision builds some from an
 * OrderedDict ({@code features.conv0}, {@code encoder.layers.encoder_layer_0}), so that the
 * state-dict keys are torchvision's.
 */
final class NamedSequential extends Module {
    <M extends Module> M add(String name, M module) {
        return register(name, module);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children()) {
            x = m.call(x);
        }
        return x;
    }
}
