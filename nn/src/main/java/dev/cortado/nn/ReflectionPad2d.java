package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ReflectionPad2d(padding)}: pads with the input reflected at its border (without repeating the edge). */
public final class ReflectionPad2d extends Padding2d {
    public ReflectionPad2d(int... padding) {
        super(padding, PadMode.REFLECT, 0);
    }
}
