package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReflectionPad3d(padding)}: pads with the input reflected at its border (without repeating the edge), on the last 3 dims. */
public final class ReflectionPad3d extends PaddingNd {
    public ReflectionPad3d(int... padding) {
        super(3, padding, PadMode.REFLECT, 0);
    }
}
