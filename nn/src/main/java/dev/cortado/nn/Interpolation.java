package dev.cortado.nn;

import dev.cortado.tensor.Resampling;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code F.interpolate} for (N, C, H, W) inputs, composed from index selections along H and W
 * (so every backend has it with its gradient). Source positions, indices and weights are worked
 * out on the host in float32 with PyTorch's formulas, so the same pixels are picked and blended
 * with the same weights; bilinear and bicubic blend along W first and then along H, PyTorch's order.
 */
final class Interpolation {
    private Interpolation() {
    }

    /** size (2 values) or scaleFactor (1 or 2 values), exactly one of them non-null. */
    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return interpolate(x, size, scaleFactor, mode, alignCorners, false);
    }

    /** With antialias (bilinear and bicubic), shrinking averages every input pixel under the filter, as PyTorch's antialias=True. */
    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners, boolean antialias) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("interpolate: expected an input (N, C, H, W), got " + Shapes.str(x.shape()));
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException("interpolate: give exactly one of size and scale_factor");
        }
        if (alignCorners && mode == InterpolationMode.NEAREST) {
            throw new IllegalArgumentException("interpolate: align_corners can only be set with the bilinear and bicubic modes, not nearest");
        }
        if (size != null && size.length != 2) {
            throw new IllegalArgumentException("interpolate: size must give the output's H and W, got " + Shapes.str(size));
        }
        if (scaleFactor != null && scaleFactor.length != 1 && scaleFactor.length != 2) {
            throw new IllegalArgumentException("interpolate: scale_factor must give one value or one each for H and W, got "
                    + scaleFactor.length + " values");
        }
        int inH = x.size(2);
        int inW = x.size(3);
        double sh = scaleFactor == null ? 0 : scaleFactor[0];
        double sw = scaleFactor == null ? 0 : scaleFactor[scaleFactor.length - 1];
        int outH = size != null ? size[0] : (int) Math.floor(inH * sh);
        int outW = size != null ? size[1] : (int) Math.floor(inW * sw);
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("interpolate: input and output sizes must be greater than 0, got input (H: " + inH + ", W: "
                    + inW + ") and output (H: " + outH + ", W: " + outW + ")");
        }
        if (antialias) {
            if (mode == InterpolationMode.NEAREST) {
                throw new IllegalArgumentException("interpolate: anti-alias option is only supported for bilinear and bicubic modes, got "
                        + mode);
            }
            return mode == InterpolationMode.BICUBIC ? Resampling.bicubicAntialiased(x, outH, outW, alignCorners, sh, sw)
                    : Resampling.bilinearAntialiased(x, outH, outW, alignCorners, sh, sw);
        }
        if (mode == InterpolationMode.NEAREST) {
            Tensor rows = x.indexSelect(2, positions(nearest(inH, outH, sh), x));
            return rows.indexSelect(3, positions(nearest(inW, outW, sw), x));
        }
        if (mode == InterpolationMode.BICUBIC) {
            return cubic(cubic(x, 3, inW, outW, sw, alignCorners), 2, inH, outH, sh, alignCorners);
        }
        Tensor acrossW = blend(x, 3, inW, outW, sw, alignCorners);
        return blend(acrossW, 2, inH, outH, sh, alignCorners);
    }

    /** Keys' cubic convolution constant, PyTorch's. */
    private static final float A = -0.75f;

    /**
     * Along dim: the four taps floor(src) - 1 .. floor(src) + 2 (clamped to the edge) with PyTorch's
     * cubic coefficients for the fraction t; the source position is not clamped at 0 as linear's is.
     */
    private static Tensor cubic(Tensor x, int dim, int in, int out, double scaleFactor, boolean alignCorners) {
        float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : scale(in, out, scaleFactor);
        long[][] taps = new long[4][out];
        float[][] weights = new float[4][out];
        for (int i = 0; i < out; i++) {
            float src = alignCorners ? scale * i : scale * (i + 0.5f) - 0.5f;
            float floor = (float) Math.floor(src);
            float t = src - floor;
            weights[0][i] = outer(t + 1f);
            weights[1][i] = inner(t);
            weights[2][i] = inner(1f - t);
            weights[3][i] = outer(1f - t + 1f);
            for (int k = 0; k < 4; k++) {
                taps[k][i] = Math.min(Math.max((long) floor - 1 + k, 0), in - 1);
            }
        }
        return Resampling.weightedTaps(x, dim, taps, weights);
    }

    /** The cubic for |x| <= 1: ((a + 2) x - (a + 3)) x² + 1. */
    private static float inner(float x) {
        return ((A + 2f) * x - (A + 3f)) * x * x + 1f;
    }

    /** The cubic for 1 < |x| < 2: ((a x - 5a) x + 8a) x - 4a. */
    private static float outer(float x) {
        return ((A * x - 5f * A) * x + 8f * A) * x - 4f * A;
    }

    /**
     * PyTorch's scale from output to input positions: 1 / scale_factor when one was given (not
     * the ratio of the rounded sizes), else in / out; in float32, as its kernels compute it.
     */
    private static float scale(int in, int out, double scaleFactor) {
        return scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
    }

    private static long[] nearest(int in, int out, double scaleFactor) {
        long[] at = new long[out];
        float scale = scale(in, out, scaleFactor);
        for (int i = 0; i < out; i++) {
            at[i] = out == in ? i : out == 2 * in ? i >> 1 : Math.min((long) Math.floor(i * scale), in - 1);
        }
        return at;
    }

    /** Along dim: w0 * x[i0] + w1 * x[i1] for each output position, the pair and weights of PyTorch's linear interpolation. */
    private static Tensor blend(Tensor x, int dim, int in, int out, double scaleFactor, boolean alignCorners) {
        float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : scale(in, out, scaleFactor);
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        float[] w0 = new float[out];
        float[] w1 = new float[out];
        for (int i = 0; i < out; i++) {
            float src = alignCorners ? scale * i : Math.max(scale * (i + 0.5f) - 0.5f, 0f);
            long lo = (long) src;
            i0[i] = lo;
            i1[i] = lo + (lo < in - 1 ? 1 : 0);
            w1[i] = Math.min(Math.max(src - lo, 0f), 1f);
            w0[i] = 1f - w1[i];
        }
        return Resampling.weightedTaps(x, dim, new long[][] {i0, i1}, new float[][] {w0, w1});
    }

    private static Tensor positions(long[] at, Tensor x) {
        return Tensor.fromArray(at, new int[] {at.length}, x.device());
    }
}
