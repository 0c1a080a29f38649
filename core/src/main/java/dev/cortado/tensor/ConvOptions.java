package dev.cortado.tensor;

/**
 * Options of a 2-d convolution, with PyTorch's defaults: stride 1, padding 0, dilation 1, one
 * group, zero padding. Each {@code with}-style method returns a changed copy:
 * <pre>{@code ConvOptions.DEFAULT.padding(1).stride(2)}</pre>
 *
 * @param same        {@code padding="same"}: pad so the output has the input's size (stride 1 only);
 *                    an odd total padding puts the extra row and column at the bottom and right
 * @param paddingMode {@link PadMode#CONSTANT} pads with zeros ({@code padding_mode="zeros"});
 *                    {@link PadMode#REFLECT}, {@link PadMode#REPLICATE} and {@link PadMode#CIRCULAR}
 *                    as PyTorch's modes of those names
 */
public record ConvOptions(int strideH, int strideW, int padH, int padW, boolean same,
                          int dilationH, int dilationW, int groups, PadMode paddingMode) {
    public static final ConvOptions DEFAULT = new ConvOptions(1, 1, 0, 0, false, 1, 1, 1, PadMode.CONSTANT);

    public ConvOptions stride(int s) {
        return stride(s, s);
    }

    public ConvOptions stride(int sh, int sw) {
        return new ConvOptions(sh, sw, padH, padW, same, dilationH, dilationW, groups, paddingMode);
    }

    public ConvOptions padding(int p) {
        return padding(p, p);
    }

    /** Padding of {@code ph} rows at the top and at the bottom, {@code pw} columns at the left and at the right. */
    public ConvOptions padding(int ph, int pw) {
        return new ConvOptions(strideH, strideW, ph, pw, false, dilationH, dilationW, groups, paddingMode);
    }

    /** {@code "same"} or {@code "valid"} (no padding), as PyTorch's string padding. */
    public ConvOptions padding(String mode) {
        return switch (mode) {
            case "same" -> new ConvOptions(strideH, strideW, 0, 0, true, dilationH, dilationW, groups, paddingMode);
            case "valid" -> padding(0, 0);
            default -> throw new IllegalArgumentException("conv2d: padding must be \"same\", \"valid\" or integers, got \"" + mode + "\"");
        };
    }

    public ConvOptions dilation(int d) {
        return dilation(d, d);
    }

    public ConvOptions dilation(int dh, int dw) {
        return new ConvOptions(strideH, strideW, padH, padW, same, dh, dw, groups, paddingMode);
    }

    public ConvOptions groups(int g) {
        return new ConvOptions(strideH, strideW, padH, padW, same, dilationH, dilationW, g, paddingMode);
    }

    public ConvOptions paddingMode(PadMode mode) {
        return new ConvOptions(strideH, strideW, padH, padW, same, dilationH, dilationW, groups, mode);
    }
}
