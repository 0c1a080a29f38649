package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ZeroPad2d(padding)}: pads with zeros, on the last 2 dims. */
public final class ZeroPad2d extends PaddingNd {
    public ZeroPad2d(int... padding) {
        super(2, padding, PadMode.CONSTANT, 0);
    }
}
