package dev.cortado.models;

import dev.cortado.nn.Module;
import dev.cortado.tensor.Tensor;

/** torchvision's {@code Permute}: the dims in the given order (ConvNeXt's and Swin's channels-last stretches). */
final class Permute extends Module {
    private final int[] dims;

    Permute(int... dims) {
        this.dims = dims.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.permute(dims);
    }
}
