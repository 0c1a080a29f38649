package dev.cortado.tensor;

/**
 * Antialiased bilinear and bicubic resizing of the last two dims, PyTorch's
 * {@code F.interpolate(mode="bilinear" or "bicubic", antialias=True)} and torchvision's
 * {@code Resize}: when shrinking, each output pixel averages every input pixel under the filter
 * (a triangle, or Keys' cubic with a = -0.5 as PIL's) stretched to the scale, instead of
 * blending only the nearest, which aliases. Weights and windows are
 * worked out on the host in float32 with PyTorch's formulas; the sums are index selections, so
 * every backend has them with their gradient. Width is resampled first, then height, PyTorch's order.
 */
public final class Resampling {
    private Resampling() {
    }

    /** x (..., H, W) to (..., outH, outW); with alignCorners the corner pixels' centres map onto each other. */
    public static Tensor bilinearAntialiased(Tensor x, int outH, int outW, boolean alignCorners) {
        return bilinearAntialiased(x, outH, outW, alignCorners, 0, 0);
    }

    /** As {@link #bilinearAntialiased(Tensor, int, int, boolean)} with the cubic filter: 4 taps when enlarging, 4 × scale when shrinking. */
    public static Tensor bicubicAntialiased(Tensor x, int outH, int outW, boolean alignCorners) {
        return bicubicAntialiased(x, outH, outW, alignCorners, 0, 0);
    }

    /** As {@link #bicubicAntialiased(Tensor, int, int, boolean)}, with the scale factors that gave the output size (0 where none was given). */
    public static Tensor bicubicAntialiased(Tensor x, int outH, int outW, boolean alignCorners, double scaleFactorH, double scaleFactorW) {
        return antialiased(x, outH, outW, alignCorners, scaleFactorH, scaleFactorW, 4);
    }

    /**
     * As {@link #bilinearAntialiased(Tensor, int, int, boolean)}, with the scale factors that
     * gave the output size (0 where none was given): PyTorch then maps positions by 1 / factor,
     * not by the ratio of the rounded sizes.
     */
    public static Tensor bilinearAntialiased(Tensor x, int outH, int outW, boolean alignCorners, double scaleFactorH, double scaleFactorW) {
        return antialiased(x, outH, outW, alignCorners, scaleFactorH, scaleFactorW, 2);
    }

    /** interpSize 2 is the triangle filter, 4 the cubic one, as PyTorch's {@code interp_size}. */
    private static Tensor antialiased(Tensor x, int outH, int outW, boolean alignCorners, double scaleFactorH, double scaleFactorW,
                                      int interpSize) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("resize: expected an input with at least 2 dims (..., H, W), got " + Shapes.str(x.shape()));
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("resize: expected a float32 input, got " + x.dtype());
        }
        int inH = x.size(x.dim() - 2);
        int inW = x.size(x.dim() - 1);
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize: input and output sizes must be greater than 0, got input (H: " + inH + ", W: " + inW
                    + ") and output (H: " + outH + ", W: " + outW + ")");
        }
        Tensor acrossW = inW == outW ? x : resample(x, x.dim() - 1, inW, outW, alignCorners, scaleFactorW, interpSize);
        return inH == outH ? acrossW : resample(acrossW, x.dim() - 2, inH, outH, alignCorners, scaleFactorH, interpSize);
    }

    /** Along dim: Σ_j w_j x[xmin + j] for each output position, tap by tap in PyTorch's order. */
    private static Tensor resample(Tensor x, int dim, int in, int out, boolean alignCorners, double scaleFactor, int interpSize) {
        float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f)
                : scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        float support = (interpSize * 0.5f) * (scale >= 1f ? scale : 1f);
        float invscale = scale >= 1f ? 1f / scale : 1f;
        int taps = (int) Math.ceil(support) * 2 + 1;
        long[][] index = new long[taps][out];
        float[][] weight = new float[taps][out];
        for (int i = 0; i < out; i++) {
            float center = scale * (i + 0.5f);
            int xmin = Math.max((int) (center - support + 0.5f), 0);
            int xsize = Math.min((int) (center + support + 0.5f), in) - xmin;
            float total = 0f;
            for (int j = 0; j < xsize; j++) {
                float v = (j + xmin - center + 0.5f) * invscale;
                float w = interpSize == 2 ? triangle(v) : cubic(v);
                weight[j][i] = w;
                total += w;
            }
            for (int j = 0; j < taps; j++) {
                if (j < xsize && total != 0f) {
                    weight[j][i] /= total;
                }
                // Unused taps read a pixel of the window with weight 0.
                index[j][i] = xmin + Math.min(j, Math.max(xsize - 1, 0));
            }
        }
        return weightedTaps(x, dim, index, weight);
    }

    /**
     * Σ_j weight[j] · x[index[j]] along dim, tap by tap in order: index[j] and weight[j] hold one
     * entry per output position. Every resampling along a dim (interpolate's two taps, the
     * antialiased filter's many) is this sum.
     */
    public static Tensor weightedTaps(Tensor x, int dim, long[][] index, float[][] weight) {
        int out = index[0].length;
        int[] along = new int[x.dim()];
        java.util.Arrays.fill(along, 1);
        along[dim] = out;
        Tensor sum = null;
        for (int j = 0; j < index.length; j++) {
            Tensor term = x.indexSelect(dim, Tensor.fromArray(index[j], new int[] {out}, x.device()))
                    .mul(Tensor.fromArray(weight[j], along, x.device()));
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /** The antialiasing cubic filter of PIL and PyTorch: Keys' cubic convolution with a = -0.5 (plain bicubic uses -0.75). */
    private static float cubic(float v) {
        final float a = -0.5f;
        float x = Math.abs(v);
        if (x < 1f) {
            return ((a + 2f) * x - (a + 3f)) * x * x + 1f;
        }
        if (x < 2f) {
            return ((a * x - 5f * a) * x + 8f * a) * x - 4f * a;
        }
        return 0f;
    }

    /** The bilinear (triangle) filter of PIL and PyTorch. */
    private static float triangle(float v) {
        float a = Math.abs(v);
        return a < 1f ? 1f - a : 0f;
    }
}
