package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ConstantPad2d(padding, value)}: pads with a constant, on the last 2 dims. */
public final class ConstantPad2d extends PaddingNd {
    public ConstantPad2d(int[] padding, double value) {
        super(2, padding, PadMode.CONSTANT, value, true);
    }

    public ConstantPad2d(int padding, double value) {
        this(new int[] {padding}, value);
    }
}
