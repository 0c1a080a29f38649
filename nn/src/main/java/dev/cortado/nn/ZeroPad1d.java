package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ZeroPad1d(padding)}: pads with zeros, on the last dim. */
public final class ZeroPad1d extends PaddingNd {
    public ZeroPad1d(int... padding) {
        super(1, padding, PadMode.CONSTANT, 0);
    }
}
