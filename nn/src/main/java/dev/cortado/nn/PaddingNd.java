package dev.cortado.nn;

import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;

/**
 * The padding layers of one, two and three dims ({@code ZeroPad}, {@code ConstantPad},
 * {@code ReflectionPad}, {@code ReplicationPad}, {@code CircularPad} 1d, 2d and 3d): the last
 * {@code dims} dims padded by (left, right[, top, bottom[, front, back]]), one amount for all or
 * each its own, as {@code F.pad} does. The modes other than a constant need a batch of channels
 * or one channel stack, as PyTorch's: a 1d layer takes (C, W) or (N, C, W), and so on.
 */
public abstract class PaddingNd extends Module {
    private static final String[] SIDES = {"left, right", "left, right, top, bottom", "left, right, top, bottom, front, back"};
    private static final String[] COUNTS = {"two", "four", "six"};

    private final int dims;
    private final int[] padding;
    private final PadMode mode;
    private final double value;
    /** ConstantPad's repr names its value; the others', as PyTorch's, only the amounts. */
    private final boolean showsValue;

    PaddingNd(int dims, int[] padding, PadMode mode, double value) {
        this(dims, padding, mode, value, false);
    }

    PaddingNd(int dims, int[] padding, PadMode mode, double value, boolean showsValue) {
        if (padding.length != 1 && padding.length != 2 * dims) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding must be one amount or " + COUNTS[dims - 1]
                    + " (" + SIDES[dims - 1] + "), got " + java.util.Arrays.toString(padding));
        }
        this.dims = dims;
        this.padding = padding.length == 1 ? filled(2 * dims, padding[0]) : padding.clone();
        this.mode = mode;
        this.value = value;
        this.showsValue = showsValue;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (mode != PadMode.CONSTANT && x.dim() != dims + 1 && x.dim() != dims + 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected a " + (dims + 1) + "-d or " + (dims + 2)
                    + "-d input (" + mode.name().toLowerCase(java.util.Locale.ROOT) + " padding of the last " + (dims == 1 ? "dim" : dims + " dims") + "), got "
                    + dev.cortado.tensor.Shapes.str(x.shape()));
        }
        return traced(x.pad(padding, mode, value));
    }

    /** PyTorch's repr of the amounts: {@code (1, 2, 0, 3)}. */
    private String amounts() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < padding.length; i++) {
            s.append(i == 0 ? "" : ", ").append(padding[i]);
        }
        return s.append(")").toString();
    }

    @Override
    protected String extraRepr() {
        return showsValue ? "padding=" + amounts() + ", value=" + Py.floatRepr(value) : amounts();
    }
}
