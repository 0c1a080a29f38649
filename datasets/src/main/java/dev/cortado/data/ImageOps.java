package dev.cortado.data;

import dev.cortado.tensor.Tensor;

/**
 * torchvision's functional image operations on 8-bit images ({@code F.posterize},
 * {@code F.equalize}, ... on uint8 tensors), with its arithmetic: blends in float32 truncated back
 * to 8 bits, the grayscale of its luma truncated too, the sharpness filter rounded. These are the
 * steps AutoAugment, RandAugment and TrivialAugmentWide draw from, which torchvision defines on
 * 8-bit images only. Images have 1 or 3 channels.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /** {@code F.invert}: 255 − v. */
    public static Image invert(Image img) {
        check("invert", img);
        byte[] out = new byte[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (255 - (img.pixels()[i] & 0xFF));
        }
        return like(img, out);
    }

    /** {@code F.posterize(img, bits)}: keeps the top {@code bits} bits of each value. */
    public static Image posterize(Image img, int bits) {
        check("posterize", img);
        if (bits < 0 || bits > 8) {
            throw new IllegalArgumentException("posterize: bits must be in [0, 8], got " + bits);
        }
        int mask = -(1 << (8 - bits));
        byte[] out = new byte[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (img.pixels()[i] & mask);
        }
        return like(img, out);
    }

    /** {@code F.solarize(img, threshold)}: inverts the values at or above the threshold. */
    public static Image solarize(Image img, double threshold) {
        check("solarize", img);
        if (threshold > 255) {
            throw new IllegalArgumentException("solarize: threshold must not exceed 255 (the images are 8-bit), got " + threshold);
        }
        byte[] out = new byte[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            int v = img.pixels()[i] & 0xFF;
            out[i] = (byte) (v >= threshold ? 255 - v : v);
        }
        return like(img, out);
    }

    /** {@code F.adjust_brightness}: factor · v, clamped. */
    public static Image adjustBrightness(Image img, double factor) {
        check("adjust_brightness", img);
        requireFactor("adjust_brightness", "brightness_factor", factor);
        return blend(img, new float[img.pixels().length], factor);
    }

    /** {@code F.adjust_contrast}: blends with the mean of the grayscale image. */
    public static Image adjustContrast(Image img, double factor) {
        check("adjust_contrast", img);
        requireFactor("adjust_contrast", "contrast_factor", factor);
        int[] gray = img.channels() == 3 ? luma(img) : values(img);
        long sum = 0;
        for (int g : gray) {
            sum += g;
        }
        float mean = sum < (1 << 24) ? (float) sum / gray.length : (float) ((double) sum / gray.length);
        float[] other = new float[img.pixels().length];
        java.util.Arrays.fill(other, mean);
        return blend(img, other, factor);
    }

    /** {@code F.adjust_saturation}: blends with the grayscale image; a one-channel image is returned as it is (as PIL does). */
    public static Image adjustSaturation(Image img, double factor) {
        check("adjust_saturation", img);
        requireFactor("adjust_saturation", "saturation_factor", factor);
        if (img.channels() == 1) {
            return img;
        }
        int[] gray = luma(img);
        float[] other = new float[img.pixels().length];
        for (int i = 0; i < other.length; i++) {
            other[i] = gray[i / 3];
        }
        return blend(img, other, factor);
    }

    /**
     * {@code F.adjust_sharpness}: blends with the image smoothed by the 3×3 filter [1 1 1; 1 5 1;
     * 1 1 1] / 13 inside a one-pixel border (rounded to 8 bits; the border kept as it is).
     */
    public static Image adjustSharpness(Image img, double factor) {
        check("adjust_sharpness", img);
        requireFactor("adjust_sharpness", "sharpness_factor", factor);
        int h = img.height(), w = img.width(), c = img.channels();
        if (h <= 2 || w <= 2) {
            return img;
        }
        float side = 1f / 13;
        float centre = 5f / 13;
        float[] other = new float[img.pixels().length];
        for (int i = 0; i < other.length; i++) {
            other[i] = img.pixels()[i] & 0xFF;
        }
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int ch = 0; ch < c; ch++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            s += img.get(y + dy, x + dx, ch) * (dy == 0 && dx == 0 ? centre : side);
                        }
                    }
                    // Never a tie: a 13th of an integer is at least 1/26 away from a half.
                    other[(y * w + x) * c + ch] = Math.round(s);
                }
            }
        }
        return blend(img, other, factor);
    }

    /** {@code F.autocontrast}: stretches each channel to span 0..255 (a constant channel is left as it is). */
    public static Image autocontrast(Image img) {
        check("autocontrast", img);
        int c = img.channels();
        byte[] out = new byte[img.pixels().length];
        for (int ch = 0; ch < c; ch++) {
            int lo = 255, hi = 0;
            for (int i = ch; i < out.length; i += c) {
                int v = img.pixels()[i] & 0xFF;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            float min = hi == lo ? 0 : lo;
            float scale = hi == lo ? 1 : 255f / (hi - lo);
            for (int i = ch; i < out.length; i += c) {
                out[i] = (byte) clampTruncate(((img.pixels()[i] & 0xFF) - min) * scale);
            }
        }
        return like(img, out);
    }

    /**
     * {@code F.equalize}: each channel through the lookup table that flattens its histogram, as
     * PIL's ImageOps.equalize builds it (a channel of one value, or nearly, is left as it is).
     */
    public static Image equalize(Image img) {
        check("equalize", img);
        int c = img.channels();
        byte[] out = img.pixels().clone();
        for (int ch = 0; ch < c; ch++) {
            long[] hist = new long[256];
            for (int i = ch; i < out.length; i += c) {
                hist[img.pixels()[i] & 0xFF]++;
            }
            // The step leaves out the last occupied bin.
            long total = 0;
            long last = 0;
            for (long count : hist) {
                if (count != 0) {
                    total += count;
                    last = count;
                }
            }
            long step = (total - last) / 255;
            if (step == 0) {
                continue;
            }
            int[] lut = new int[256];
            long cumulative = 0;
            for (int v = 0; v < 255; v++) {
                cumulative += hist[v];
                lut[v + 1] = (int) Math.min(255, (cumulative + step / 2) / step);
            }
            for (int i = ch; i < out.length; i += c) {
                out[i] = (byte) lut[img.pixels()[i] & 0xFF];
            }
        }
        return like(img, out);
    }

    /**
     * {@code F.affine} on an 8-bit image: rotation (degrees, clockwise), translation (pixels),
     * scale and shear (degrees) about the point {@code center} (pixels from the top-left corner;
     * null for the image's centre); nearest or bilinear sampling, {@code fill} per channel outside
     * (null: zeros, unweighted at bilinear edges, as torchvision's fill=None), rounded back to 8 bits.
     */
    public static Image affine(Image img, double angle, double tx, double ty, double scale, double shearX, double shearY, double[] center,
                               boolean bilinear, double[] fill) {
        check("affine", img);
        int c = img.channels();
        float[] fillValues = null;
        if (fill != null) {
            if (fill.length != 1 && fill.length != c) {
                throw new IllegalArgumentException("affine: fill needs 1 or " + c + " values, got " + fill.length);
            }
            fillValues = new float[c];
            for (int ch = 0; ch < c; ch++) {
                fillValues[ch] = (float) fill[fill.length == 1 ? 0 : ch];
            }
        }
        double cx = center == null ? 0 : center[0] - img.width() * 0.5;
        double cy = center == null ? 0 : center[1] - img.height() * 0.5;
        Tensor warped = AffineWarp.apply(planes(img), angle, tx, ty, scale, shearX, shearY, cx, cy, bilinear, fillValues);
        float[] v = warped.toFloatArray();
        int plane = img.height() * img.width();
        byte[] out = new byte[img.pixels().length];
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                // torchvision rounds (half to even) before casting back to 8 bits.
                out[p * c + ch] = (byte) (int) Math.max(0, Math.min(255, Math.rint(v[ch * plane + p])));
            }
        }
        return like(img, out);
    }

    /** {@code F.rotate(img, angle)}: counter-clockwise by {@code angle} degrees about the centre, same size. */
    public static Image rotate(Image img, double angle, boolean bilinear, double[] fill) {
        return affine(img, -angle, 0, 0, 1, 0, 0, null, bilinear, fill);
    }

    /** The image as a (C, H, W) float tensor of its 0..255 values. */
    private static Tensor planes(Image img) {
        int c = img.channels(), plane = img.height() * img.width();
        float[] v = new float[img.pixels().length];
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                v[ch * plane + p] = img.pixels()[p * c + ch] & 0xFF;
            }
        }
        return Tensor.fromArray(v, new int[] {c, img.height(), img.width()}, dev.cortado.tensor.Device.CPU);
    }

    /** torchvision's {@code _blend}: factor · img + (1 − factor) · other in float32, clamped and truncated to 8 bits. */
    private static Image blend(Image img, float[] other, double factor) {
        float a = (float) factor;
        float b = (float) (1.0 - factor);
        byte[] out = new byte[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) clampTruncate(a * (img.pixels()[i] & 0xFF) + b * other[i]);
        }
        return like(img, out);
    }

    private static int clampTruncate(float v) {
        return (int) Math.max(0f, Math.min(255f, v));
    }

    /** torchvision's {@code rgb_to_grayscale} of an 8-bit image: (0.2989 R + 0.587 G + 0.114 B) in float32, truncated. */
    static int[] luma(Image img) {
        byte[] px = img.pixels();
        int[] out = new int[px.length / 3];
        for (int p = 0; p < out.length; p++) {
            float l = 0.2989f * (px[3 * p] & 0xFF) + 0.587f * (px[3 * p + 1] & 0xFF);
            out[p] = (int) (l + 0.114f * (px[3 * p + 2] & 0xFF));
        }
        return out;
    }

    private static int[] values(Image img) {
        int[] out = new int[img.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.pixels()[i] & 0xFF;
        }
        return out;
    }

    private static Image like(Image img, byte[] pixels) {
        return new Image(pixels, img.height(), img.width(), img.channels());
    }

    private static void check(String op, Image img) {
        if (img.channels() != 1 && img.channels() != 3) {
            throw new IllegalArgumentException(op + ": expects an image of 1 or 3 channels, got " + img.channels());
        }
    }

    private static void requireFactor(String op, String name, double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException(op + ": " + name + " (" + factor + ") is not non-negative");
        }
    }
}
