package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReflectionPad2d(padding)}: pads with the input reflected at its border (without repeating the edge), on the last 2 dims. */
public final class ReflectionPad2d extends PaddingNd {
    public ReflectionPad2d(int... padding) {
        super(2, padding, PadMode.REFLECT, 0);
    }
}
