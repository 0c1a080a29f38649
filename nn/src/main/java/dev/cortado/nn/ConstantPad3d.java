package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ConstantPad3d(padding, value)}: pads with a constant, on the last 3 dims. */
public final class ConstantPad3d extends PaddingNd {
    public ConstantPad3d(int[] padding, double value) {
        super(3, padding, PadMode.CONSTANT, value, true);
    }

    public ConstantPad3d(int padding, double value) {
        this(new int[] {padding}, value);
    }
}
