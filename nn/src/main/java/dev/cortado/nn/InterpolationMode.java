package dev.cortado.nn;

/** {@code F.interpolate}'s modes for (N, C, H, W) inputs. */
public enum InterpolationMode {
    /** Each output pixel copies the input pixel at floor(position * scale). */
    NEAREST,
    /** Each output pixel blends the four input pixels around its source position. */
    BILINEAR
}
