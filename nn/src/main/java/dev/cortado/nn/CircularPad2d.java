package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.CircularPad2d(padding)}: pads with the input wrapped around (the far side's values), on the last 2 dims. */
public final class CircularPad2d extends PaddingNd {
    public CircularPad2d(int... padding) {
        super(2, padding, PadMode.CIRCULAR, 0);
    }
}
