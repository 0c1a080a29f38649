package dev.cortado.data;

import java.util.Arrays;
import java.util.Locale;

/** What an image of a class of the synthetic edge-detection set shows. */
public enum EdgeClass {
    /** Horizontal bands (rows) across the whole width. */
    HORIZONTAL,
    /** Vertical bands (columns) across the whole height. */
    VERTICAL,
    /** A horizontal or vertical band rotated by 30, 45, 120 or 135 degrees about the centre. */
    DIAGONAL,
    /** Horizontal and vertical bands together: a cross or grid. */
    BOTH,
    /** Background only. */
    NONE;

    /** The configuration name: {@code horizontal}, {@code vertical}, {@code diagonal}, {@code both}, {@code none}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name, with an error listing the valid ones. */
    public static EdgeClass of(String key) {
        for (EdgeClass c : values()) {
            if (c.key().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("EdgeDetection: class_type '" + key + "' is not one of "
                + Arrays.stream(values()).map(EdgeClass::key).toList());
    }
}
