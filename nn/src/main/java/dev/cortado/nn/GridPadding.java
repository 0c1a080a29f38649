package dev.cortado.nn;

/** What {@code F.gridSample} reads where the grid points outside the input: PyTorch's {@code padding_mode}. */
public enum GridPadding {
    /** Zeros outside. */
    ZEROS,
    /** The nearest border pixel. */
    BORDER,
    /** The input mirrored at its border, then clipped. */
    REFLECTION
}
