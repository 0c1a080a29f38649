package dev.cortado.nn;

import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;

/**
 * The padding layers ({@link ZeroPad2d}, {@link ConstantPad2d}, {@link ReflectionPad2d},
 * {@link ReplicationPad2d}, {@link CircularPad2d}): the last two dims padded by (left, right, top,
 * bottom), one amount for all four or each its own, as {@code F.pad} does.
 */
public abstract class Padding2d extends Module {
    private final int[] padding;
    private final PadMode mode;
    private final double value;

    Padding2d(int[] padding, PadMode mode, double value) {
        if (padding.length != 1 && padding.length != 4) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding must be one amount or four (left, right, top, bottom), got "
                    + java.util.Arrays.toString(padding));
        }
        this.padding = padding.length == 1 ? new int[] {padding[0], padding[0], padding[0], padding[0]} : padding.clone();
        this.mode = mode;
        this.value = value;
    }

    @Override
    public Tensor forward(Tensor x) {
        return traced(x.pad(padding, mode, value));
    }

    /** PyTorch's repr of the four amounts: {@code (1, 2, 0, 3)}. */
    String amounts() {
        return "(" + padding[0] + ", " + padding[1] + ", " + padding[2] + ", " + padding[3] + ")";
    }

    @Override
    protected String extraRepr() {
        return amounts();
    }
}
