package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ZeroPad2d(padding)}: pads with zeros. */
public final class ZeroPad2d extends Padding2d {
    public ZeroPad2d(int... padding) {
        super(padding, PadMode.CONSTANT, 0);
    }
}
