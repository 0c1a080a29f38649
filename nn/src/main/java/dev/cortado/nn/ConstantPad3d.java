package dev.cortado.nn;

import dev.cortado.tensor.PadMode;

/** {@code nn.ConstantPad3d(padding, value)}: pads with a constant, on the last 3 dims. */
public final class ConstantPad3d extends PaddingNd {
    private final double value;

    public ConstantPad3d(int[] padding, double value) {
        super(3, padding, PadMode.CONSTANT, value);
        this.value = value;
    }

    public ConstantPad3d(int padding, double value) {
        this(new int[] {padding}, value);
    }

    @Override
    protected String extraRepr() {
        return "padding=" + amounts() + ", value=" + Py.floatRepr(value);
    }
}
