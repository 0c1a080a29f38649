package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ConstantPad1d(padding, value)}: pads with a constant, on the last dim. */
public final class ConstantPad1d extends PaddingNd {
    public ConstantPad1d(int[] padding, double value) {
        super(1, padding, PadMode.CONSTANT, value, true);
    }

    public ConstantPad1d(int padding, double value) {
        this(new int[] {padding}, value);
    }
}
