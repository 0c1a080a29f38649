package dev.cortado.data;

import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Resampling;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's Resize and RandomResizedCrop on (..., H, W) tensors, with antialiased bilinear (or,
 * for Resize, bicubic) resampling: torchvision's default for tensors since 0.17, and what PIL
 * always does.
 */
final class Resizing {
    private Resizing() {
    }

    /** The shorter side to size, the longer one in proportion, truncated, as torchvision computes it. */
    static Tensor shorterSide(Tensor x, int size, boolean bicubic) {
        check("Resize", x);
        int h = x.size(x.dim() - 2);
        int w = x.size(x.dim() - 1);
        int shorter = Math.min(h, w);
        int longer = (int) ((long) size * Math.max(h, w) / shorter);
        return w <= h ? to(x, longer, size, bicubic) : to(x, size, longer, bicubic);
    }

    static Tensor to(Tensor x, int height, int width, boolean bicubic) {
        check("Resize", x);
        return bicubic ? Resampling.bicubicAntialiased(x, height, width, false) : Resampling.bilinearAntialiased(x, height, width, false);
    }

    /** torchvision's interpolation names for Resize: "bilinear" (its default) or "bicubic". */
    static boolean bicubic(String interpolation) {
        return switch (interpolation) {
            case "bilinear" -> false;
            case "bicubic" -> true;
            default -> throw new IllegalArgumentException("Resize: interpolation must be \"bilinear\" or \"bicubic\", got \"" + interpolation
                    + "\"");
        };
    }

    /**
     * A window of a random area fraction in [scaleMin, scaleMax] and a random aspect ratio (log
     * uniform in [ratioMin, ratioMax]), ten tries, else the centre crop clamped to those ratios;
     * then resized to height × width. torchvision's parameters and fallback.
     */
    static Tensor randomResizedCrop(Tensor x, int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        check("RandomResizedCrop", x);
        int h = x.size(x.dim() - 2);
        int w = x.size(x.dim() - 1);
        Generator g = SampleRandom.current();
        double area = (double) h * w;
        double logLo = Math.log(ratioMin);
        double logHi = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * (scaleMin + (scaleMax - scaleMin) * g.nextDouble());
            double aspect = Math.exp(logLo + (logHi - logLo) * g.nextDouble());
            // Python's round: halves to even.
            int cw = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int ch = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                int top = (int) g.nextLong(h - ch + 1);
                int left = (int) g.nextLong(w - cw + 1);
                return crop(x, top, left, ch, cw, height, width);
            }
        }
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < ratioMin) {
            ch = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            cw = (int) Math.rint(h * ratioMax);
        }
        return crop(x, (h - ch) / 2, (w - cw) / 2, ch, cw, height, width);
    }

    private static Tensor crop(Tensor x, int top, int left, int h, int w, int height, int width) {
        Tensor window = x.narrow(x.dim() - 2, top, h).narrow(x.dim() - 1, left, w);
        return Resampling.bilinearAntialiased(window, height, width, false);
    }

    private static void check(String op, Tensor x) {
        if (x.dim() < 2 || x.size(x.dim() - 2) == 0 || x.size(x.dim() - 1) == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty image (..., H, W), got " + Shapes.str(x.shape()));
        }
    }
}
