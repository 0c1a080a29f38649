package dev.cortado.data;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's colour and blur operations on a (C, H, W) float image with values in [0, 1], on
 * the host: grayscale with its weights (0.2989, 0.587, 0.114), brightness, contrast and saturation
 * as its blends (clamped to [0, 1]), and a Gaussian blur with its normalised kernel and reflect
 * padding.
 */
final class Photometric {
    private Photometric() {
    }

    static void requireImage(String op, Tensor x, boolean rgb) {
        if (x.dim() != 3 || rgb && x.size(0) != 3) {
            throw new IllegalArgumentException(op + ": expected a (" + (rgb ? "3" : "C") + ", H, W) image, got " + Shapes.str(x.shape()));
        }
    }

    /** The luma plane of an RGB image, H × W values. */
    static float[] luma(float[] v, int plane) {
        float[] l = new float[plane];
        for (int i = 0; i < plane; i++) {
            l[i] = 0.2989f * v[i] + 0.587f * v[plane + i] + 0.114f * v[2 * plane + i];
        }
        return l;
    }

    /** torchvision's _blend: factor · image + (1 - factor) · other (per pixel, the same for every channel), clamped to [0, 1]. */
    static float[] blend(float[] v, float[] other, int plane, double factor) {
        float f = (float) factor;
        float rest = (float) (1 - factor);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float o = other.length == 1 ? other[0] : other[i % plane];
            out[i] = Math.min(1f, Math.max(0f, f * v[i] + rest * o));
        }
        return out;
    }

    static float[] brightness(float[] v, int plane, double factor) {
        return blend(v, new float[] {0}, plane, factor);
    }

    static float[] contrast(float[] v, int plane, double factor) {
        float[] l = luma(v, plane);
        double sum = 0;
        for (float x : l) {
            sum += x;
        }
        return blend(v, new float[] {(float) (sum / plane)}, plane, factor);
    }

    static float[] saturation(float[] v, int plane, double factor) {
        return blend(v, luma(v, plane), plane, factor);
    }

    /**
     * torchvision's adjust_hue on tensors: each pixel to HSV (its _rgb2hsv), the hue shifted by
     * factor (in [-0.5, 0.5], a fraction of the colour wheel) modulo 1, and back (its _hsv2rgb),
     * with its float32 steps in its order. Grey pixels, whose hue is undefined, stay as they are.
     */
    static float[] hue(float[] v, int plane, double factor) {
        float shift = (float) factor;
        float[] out = new float[v.length];
        for (int i = 0; i < plane; i++) {
            float r = v[i];
            float g = v[plane + i];
            float b = v[2 * plane + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            boolean grey = max == min;
            float range = max - min;
            float s = range / (grey ? 1f : max);
            float divisor = grey ? 1f : range;
            float rc = (max - r) / divisor;
            float gc = (max - g) / divisor;
            float bc = (max - b) / divisor;
            float hr = max == r ? bc - gc : 0f;
            float hg = max == g && max != r ? 2f + rc - bc : 0f;
            float hb = max != g && max != r ? 4f + gc - rc : 0f;
            float h = (hr + hg + hb) / 6f + 1f;
            h = h % 1f;
            // Python's remainder (never negative), where the first was C's fmod of a positive value.
            h = h + shift;
            h = h - (float) Math.floor(h);
            float h6 = h * 6f;
            float sector = (float) Math.floor(h6);
            float f = h6 - sector;
            float p = clamp01(max * (1f - s));
            float q = clamp01(max * (1f - s * f));
            float t = clamp01(max * (1f - s * (1f - f)));
            float[] rgb = switch (Math.floorMod((int) sector, 6)) {
                case 0 -> new float[] {max, t, p};
                case 1 -> new float[] {q, max, p};
                case 2 -> new float[] {p, max, t};
                case 3 -> new float[] {p, q, max};
                case 4 -> new float[] {t, p, max};
                default -> new float[] {max, p, q};
            };
            out[i] = rgb[0];
            out[plane + i] = rgb[1];
            out[2 * plane + i] = rgb[2];
        }
        return out;
    }

    private static float clamp01(float x) {
        return Math.min(1f, Math.max(0f, x));
    }

    /** Each channel convolved with the normalised Gaussian of size k and the given sigma, the border reflected. */
    static float[] gaussianBlur(float[] v, int c, int h, int w, int k, double sigma) {
        if (k / 2 >= h || k / 2 >= w) {
            throw new IllegalArgumentException("GaussianBlur: kernel size " + k + " needs an image larger than " + (k / 2) + " in both dims to"
                    + " reflect its padding, got " + h + " x " + w);
        }
        float[] kernel = new float[k];
        float half = (k - 1) * 0.5f;
        double total = 0;
        for (int i = 0; i < k; i++) {
            float x = -half + i;
            kernel[i] = (float) Math.exp(-0.5 * (x / sigma) * (x / sigma));
            total += kernel[i];
        }
        for (int i = 0; i < k; i++) {
            kernel[i] = (float) (kernel[i] / total);
        }
        float[] out = new float[v.length];
        int r = k / 2;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float sum = 0;
                    for (int dy = 0; dy < k; dy++) {
                        int sy = reflect(y + dy - r, h);
                        for (int dx = 0; dx < k; dx++) {
                            sum += kernel[dy] * kernel[dx] * v[(ch * h + sy) * w + reflect(x + dx - r, w)];
                        }
                    }
                    out[(ch * h + y) * w + x] = sum;
                }
            }
        }
        return out;
    }

    /** Reflect padding's index (the edge pixel not repeated). */
    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }
}
