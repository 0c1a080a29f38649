package dev.cortado.nn;

/** {@code F.interpolate}'s and {@code F.gridSample}'s modes for (N, C, H, W) inputs. */
public enum InterpolationMode {
    /** Each output pixel copies one input pixel: interpolate's at floor(position * scale), gridSample's nearest to the position. */
    NEAREST,
    /** Each output pixel blends the four input pixels around its source position. */
    BILINEAR,
    /** Each output pixel blends the 4 × 4 input pixels around its source position with Keys' cubic (a = -0.75); interpolate only. */
    BICUBIC
}
