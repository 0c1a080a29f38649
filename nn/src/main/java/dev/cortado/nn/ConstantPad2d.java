package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ConstantPad2d(padding, value)}: pads with a constant. */
public final class ConstantPad2d extends Padding2d {
    private final double value;

    public ConstantPad2d(int[] padding, double value) {
        super(padding, PadMode.CONSTANT, value);
        this.value = value;
    }

    public ConstantPad2d(int padding, double value) {
        this(new int[] {padding}, value);
    }

    @Override
    protected String extraRepr() {
        return "padding=" + amounts() + ", value=" + Py.floatRepr(value);
    }
}
