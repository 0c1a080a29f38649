package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.CircularPad3d(padding)}: pads with the input wrapped around (the far side's values), on the last 3 dims. */
public final class CircularPad3d extends PaddingNd {
    public CircularPad3d(int... padding) {
        super(3, padding, PadMode.CIRCULAR, 0);
    }
}
