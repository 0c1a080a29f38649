package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/** {@code nn.Softmax2d()}: softmax over the channels of each pixel of a (N, C, H, W) or (C, H, W) input. */
public final class Softmax2d extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("Softmax2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got " + Shapes.str(x.shape()));
        }
        return traced(x.softmax(-3));
    }
}
