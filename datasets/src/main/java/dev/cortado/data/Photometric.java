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
