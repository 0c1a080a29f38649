package dev.cortado.nn;

import dev.cortado.tensor.Resampling;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * {@code F.interpolate} for (N, C, L), (N, C, H, W) and (N, C, D, H, W) inputs, one spatial dim at
 * a time from the last, composed from index selections (so every backend has it with its
 * gradient). Source positions, indices and weights are worked out on the host in float32 with
 * PyTorch's formulas, so the same pixels are picked and blended with the same weights; the linear
 * modes blend along W first, then H, then D, PyTorch's order.
 */
final class Interpolation {
    private static final String[][] DIM_NAMES = {{"L"}, {"H", "W"}, {"D", "H", "W"}};
    private static final String[] SIZES = {"L", "H and W", "D, H and W"};
    private static final String[] LAYOUTS = {"3-d (N, C, L)", "4-d (N, C, H, W)", "5-d (N, C, D, H, W)"};

    private Interpolation() {
    }

    /** size (one value per spatial dim) or scaleFactor (one, or one per spatial dim), exactly one of them non-null. */
    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return interpolate(x, size, scaleFactor, mode, alignCorners, false);
    }

    /** With antialias (bilinear and bicubic), shrinking averages every input pixel under the filter, as PyTorch's antialias=True. */
    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, InterpolationMode mode, boolean alignCorners, boolean antialias) {
        int k = x.dim() - 2;
        if (k < 1 || k > 3) {
            throw new IllegalArgumentException("interpolate: expected a " + LAYOUTS[0] + ", " + LAYOUTS[1] + " or " + LAYOUTS[2] + " input, got "
                    + Shapes.str(x.shape()));
        }
        if (mode.spatialDims() != 0 && mode.spatialDims() != k) {
            throw new IllegalArgumentException("interpolate: got a " + x.dim() + "-d input " + Shapes.str(x.shape()) + ", but " + mode.pyName()
                    + " mode needs a " + LAYOUTS[mode.spatialDims() - 1] + " input");
        }
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException("interpolate: give exactly one of size and scale_factor");
        }
        if (alignCorners && !mode.interpolating()) {
            throw new IllegalArgumentException("interpolate: align_corners can only be set with the interpolating modes (linear, bilinear, "
                    + "bicubic, trilinear), not " + mode.pyName());
        }
        String[] names = DIM_NAMES[k - 1];
        if (size != null && size.length != k) {
            throw new IllegalArgumentException("interpolate: size must give the output's " + SIZES[k - 1] + ", got " + Shapes.str(size));
        }
        if (scaleFactor != null && scaleFactor.length != 1 && scaleFactor.length != k) {
            throw new IllegalArgumentException("interpolate: scale_factor must give one value or one each for " + SIZES[k - 1] + ", got "
                    + scaleFactor.length + " values");
        }
        int[] in = new int[k];
        int[] out = new int[k];
        double[] scales = new double[k];
        boolean empty = false;
        for (int d = 0; d < k; d++) {
            in[d] = x.size(2 + d);
            scales[d] = scaleFactor == null ? 0 : scaleFactor[scaleFactor.length == 1 ? 0 : d];
            out[d] = size != null ? size[d] : (int) Math.floor(in[d] * scales[d]);
            empty |= in[d] <= 0 || out[d] <= 0;
        }
        if (empty) {
            StringBuilder input = new StringBuilder();
            StringBuilder output = new StringBuilder();
            for (int d = 0; d < k; d++) {
                input.append(d > 0 ? ", " : "").append(names[d]).append(": ").append(in[d]);
                output.append(d > 0 ? ", " : "").append(names[d]).append(": ").append(out[d]);
            }
            throw new IllegalArgumentException("interpolate: input and output sizes must be greater than 0, got input (" + input + ") and output ("
                    + output + ")");
        }
        if (antialias) {
            if (mode != InterpolationMode.BILINEAR && mode != InterpolationMode.BICUBIC) {
                throw new IllegalArgumentException("interpolate: anti-alias option is only supported for bilinear and bicubic modes, got "
                        + mode.pyName());
            }
            return mode == InterpolationMode.BICUBIC ? Resampling.bicubicAntialiased(x, out[0], out[1], alignCorners, scales[0], scales[1])
                    : Resampling.bilinearAntialiased(x, out[0], out[1], alignCorners, scales[0], scales[1]);
        }
        if (mode == InterpolationMode.AREA) {
            return switch (k) {
                case 1 -> F.adaptiveAvgPool1d(x, out[0]);
                case 2 -> F.adaptiveAvgPool2d(x, out[0], out[1]);
                default -> F.adaptiveAvgPool3d(x, out[0], out[1], out[2]);
            };
        }
        Tensor y = x;
        for (int d = k - 1; d >= 0; d--) {
            int dim = 2 + d;
            y = switch (mode) {
                case NEAREST -> y.indexSelect(dim, positions(nearest(in[d], out[d], scales[d]), x));
                case NEAREST_EXACT -> y.indexSelect(dim, positions(nearestExact(in[d], out[d], scales[d]), x));
                case BICUBIC -> cubic(y, dim, in[d], out[d], scales[d], alignCorners);
                default -> blend(y, dim, in[d], out[d], scales[d], alignCorners);
            };
        }
        return y;
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

    /** PyTorch's nearest-exact: the input nearest the output's centre, min(floor((i + 0.5) · scale), in − 1), in float32. */
    private static long[] nearestExact(int in, int out, double scaleFactor) {
        long[] at = new long[out];
        float scale = scale(in, out, scaleFactor);
        for (int i = 0; i < out; i++) {
            at[i] = Math.min((long) Math.floor((i + 0.5f) * scale), in - 1);
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
