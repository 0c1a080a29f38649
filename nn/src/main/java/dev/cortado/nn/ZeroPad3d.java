package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ZeroPad3d(padding)}: pads with zeros, on the last 3 dims. */
public final class ZeroPad3d extends PaddingNd {
    public ZeroPad3d(int... padding) {
        super(3, padding, PadMode.CONSTANT, 0);
    }
}
