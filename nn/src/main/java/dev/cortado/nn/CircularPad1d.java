package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.CircularPad1d(padding)}: pads with the input wrapped around (the far side's values), on the last dim. */
public final class CircularPad1d extends PaddingNd {
    public CircularPad1d(int... padding) {
        super(1, padding, PadMode.CIRCULAR, 0);
    }
}
