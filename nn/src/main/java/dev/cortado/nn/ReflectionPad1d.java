package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReflectionPad1d(padding)}: pads with the input reflected at its border (without repeating the edge), on the last dim. */
public final class ReflectionPad1d extends PaddingNd {
    public ReflectionPad1d(int... padding) {
        super(1, padding, PadMode.REFLECT, 0);
    }
}
