package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.CircularPad2d(padding)}: pads with the opposite side's values (wrap-around). */
public final class CircularPad2d extends Padding2d {
    public CircularPad2d(int... padding) {
        super(padding, PadMode.CIRCULAR, 0);
    }
}
