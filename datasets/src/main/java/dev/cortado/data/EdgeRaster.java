package dev.cortado.data;

/**
 * Draws the bands of the edge-detection images into a row-major float image of side {@code res}.
 * Straight bands are filled exactly; rotated bands are resampled with bilinear interpolation of
 * the band's indicator (0 outside the image), so the background level shows where the rotated
 * band leaves the frame, as with a constant-fill image rotation.
 */
final class EdgeRaster {
    private EdgeRaster() {
    }

    /** Fills rows (horizontal) or columns [start, end) with {@code value}. */
    static void band(float[] img, int res, boolean horizontal, int start, int end, float value) {
        for (int i = start; i < end; i++) {
            for (int j = 0; j < res; j++) {
                img[horizontal ? i * res + j : j * res + i] = value;
            }
        }
    }

    /** The band of {@link #band}, rotated by {@code degrees} (counter-clockwise as displayed) about the image centre. */
    static void rotatedBand(float[] img, int res, boolean horizontal, int start, int end, float value, double degrees) {
        double c = (res - 1) / 2.0;
        double cos = Math.cos(Math.toRadians(degrees));
        double sin = Math.sin(Math.toRadians(degrees));
        for (int y = 0; y < res; y++) {
            for (int x = 0; x < res; x++) {
                // Inverse mapping: where in the upright band this output pixel comes from.
                double dx = x - c;
                double dy = y - c;
                double sx = c + cos * dx - sin * dy;
                double sy = c + sin * dx + cos * dy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                double cover = (1 - fy) * ((1 - fx) * inside(res, horizontal, start, end, y0, x0) + fx * inside(res, horizontal, start, end, y0, x0 + 1))
                        + fy * ((1 - fx) * inside(res, horizontal, start, end, y0 + 1, x0) + fx * inside(res, horizontal, start, end, y0 + 1, x0 + 1));
                if (cover > 0) {
                    int k = y * res + x;
                    img[k] = (float) (img[k] * (1 - cover) + value * cover);
                }
            }
        }
    }

    private static double inside(int res, boolean horizontal, int start, int end, int y, int x) {
        if (y < 0 || x < 0 || y >= res || x >= res) {
            return 0;
        }
        int along = horizontal ? y : x;
        return along >= start && along < end ? 1 : 0;
    }
}
