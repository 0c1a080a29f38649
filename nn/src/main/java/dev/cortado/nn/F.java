package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Folding;
import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Pooling;
import dev.cortado.tensor.Pooling1d;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;
import dev.cortado.tensor.TransposedConvolution;
import dev.cortado.tensor.ValuesIndices;
import dev.cortado.tensor.Volumes;

/**
 * The functional API, {@code torch.nn.functional} in Java names:
 * <pre>{@code Tensor y = F.maxPool2d(F.relu(F.conv2d(x, w, b, ConvOptions.DEFAULT.padding(1))), 2);}</pre>
 */
public final class F {
    private F() {
    }

    // ---- activations ----------------------------------------------------------------------

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    /** {@code F.gelu(x)}: x Φ(x), through erf. */
    public static Tensor gelu(Tensor x) {
        return Activations.gelu(x, "none");
    }

    /** {@code F.gelu(x, approximate)}: approximate is "none" (erf) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return Activations.gelu(x, approximate);
    }

    /** {@code F.elu(x, alpha)}: x above 0, alpha (exp(x) - 1) at and below, through expm1. */
    public static Tensor elu(Tensor x, double alpha) {
        return Activations.elu(x, alpha);
    }

    /** {@code F.silu(x)}: x sigmoid(x). */
    public static Tensor silu(Tensor x) {
        return Activations.silu(x);
    }

    /** {@code F.softplus(x, beta, threshold)}. */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        return Activations.softplus(x, beta, threshold);
    }

    /** {@code F.selu(x)}: ELU with alpha 1.6733 scaled by 1.0507, self-normalising. */
    public static Tensor selu(Tensor x) {
        return Activations.selu(x);
    }

    /** {@code F.celu(x, alpha)}: alpha (exp(x / alpha) - 1) at and below 0, x above. */
    public static Tensor celu(Tensor x, double alpha) {
        return Activations.celu(x, alpha);
    }

    /** {@code F.mish(x)}: x tanh(softplus(x)). */
    public static Tensor mish(Tensor x) {
        return Activations.mish(x);
    }

    /** {@code F.softsign(x)}: x / (1 + |x|). */
    public static Tensor softsign(Tensor x) {
        return Activations.softsign(x);
    }

    /** {@code F.hardtanh(x, min_val, max_val)}: x clamped, with no gradient at or beyond the bounds. */
    public static Tensor hardtanh(Tensor x, double minVal, double maxVal) {
        return PiecewiseActivations.hardtanh(x, minVal, maxVal);
    }

    /** {@code F.relu6(x)}: min(max(x, 0), 6), a hardtanh. */
    public static Tensor relu6(Tensor x) {
        return PiecewiseActivations.hardtanh(x, 0, 6);
    }

    /** {@code F.hardsigmoid(x)}: (x + 3) / 6 clamped to [0, 1]. */
    public static Tensor hardsigmoid(Tensor x) {
        return PiecewiseActivations.hardsigmoid(x);
    }

    /** {@code F.hardswish(x)}: x (x + 3) / 6 between -3 and 3, 0 below, x above. */
    public static Tensor hardswish(Tensor x) {
        return PiecewiseActivations.hardswish(x);
    }

    /**
     * {@code F.prelu(x, weight)}: x above 0, weight · x at and below, with one weight for all
     * channels or one per channel (dim 1).
     */
    public static Tensor prelu(Tensor x, Tensor weight) {
        if (weight.dim() != 1 || weight.numel() != 1 && (x.dim() < 2 || x.size(1) != weight.numel())) {
            throw new IllegalArgumentException("prelu: weight " + Shapes.str(weight.shape()) + " must hold one value or one per channel (dim 1) of input "
                    + Shapes.str(x.shape()));
        }
        Tensor w = weight;
        if (weight.numel() > 1) {
            int[] shape = new int[x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = weight.numel();
            w = weight.reshape(shape);
        } else {
            w = weight.reshape(new int[0]);
        }
        return Tensor.where(x.gt(0), x, x.mul(w));
    }

    /** {@code F.threshold(x, threshold, value)}: x above the threshold, value at and below it. */
    public static Tensor threshold(Tensor x, double threshold, double value) {
        return ShrinkActivations.threshold(x, threshold, value);
    }

    /** {@code F.hardshrink(x, lambd)}: 0 on [-lambd, lambd], x elsewhere. */
    public static Tensor hardshrink(Tensor x, double lambd) {
        return ShrinkActivations.hardshrink(x, lambd);
    }

    /** {@code F.softshrink(x, lambd)}: x moved lambd towards 0, and 0 on [-lambd, lambd]; lambd ≥ 0. */
    public static Tensor softshrink(Tensor x, double lambd) {
        return ShrinkActivations.softshrink(x, lambd);
    }

    public static Tensor tanhshrink(Tensor x) {
        return ShrinkActivations.tanhshrink(x);
    }

    /** {@code F.glu(x, dim)}: a · sigmoid(b), a and b the first and second halves of x along dim. */
    public static Tensor glu(Tensor x, int dim) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException("glu: does not support scalars because halving size must be even");
        }
        int d = Shapes.dim("glu", dim, x.dim());
        int size = x.size(d);
        if (size % 2 != 0) {
            throw new IllegalArgumentException("glu: halving dimension must be even, but dimension " + d + " is size " + size);
        }
        return x.narrow(d, 0, size / 2).mul(x.narrow(d, size / 2, size / 2).sigmoid());
    }

    /** {@code F.softmin(x, dim)}: softmax of -x. */
    public static Tensor softmin(Tensor x, int dim) {
        return x.neg().softmax(dim);
    }

    /**
     * {@code F.rrelu(x, lower, upper, training)}: in training, each element at or below 0 times its
     * own slope from U(lower, upper), drawn from the default generator; in eval, a leaky ReLU with
     * slope (lower + upper) / 2.
     */
    public static Tensor rrelu(Tensor x, double lower, double upper, boolean training) {
        checkRreluBounds(lower, upper);
        if (!training) {
            return leakyRelu(x, (lower + upper) / 2);
        }
        // PyTorch's CPU draws: one double uniform in [lower, upper) for each element <= 0, in order,
        // and a slope of 1 elsewhere (NaN included). The elements are read back to decide which draw.
        float[] v = x.detach().contiguous().toFloatArray();
        float[] slopes = new float[v.length];
        dev.cortado.tensor.Generator gen = dev.cortado.tensor.Cortado.defaultGenerator();
        for (int i = 0; i < v.length; i++) {
            slopes[i] = v[i] <= 0 ? (float) (gen.nextDouble() * (upper - lower) + lower) : 1;
        }
        return x.mul(Tensor.fromArray(slopes, x.shape(), x.device()));
    }

    static void checkRreluBounds(double lower, double upper) {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("rrelu: lower bound should be less than or equal to the upper bound, got " + lower + " and " + upper);
        }
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    // ---- layers ---------------------------------------------------------------------------

    /**
     * PyTorch 2's {@code F.scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal,
     * scale)} on (..., L, E), (..., S, E) and (..., S, Ev): {@code softmax(q kᵀ · scale + mask) v},
     * scale 1/√E when NaN. attnMask (null for none): float32 is added to the scores (-inf blocks a
     * pair); int64 is PyTorch's bool mask for this function, nonzero taking part and zero blocked.
     * isCausal lets position i see keys 0..i. Dropout on the weights with probability dropoutP.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor attnMask, double dropoutP, boolean isCausal,
                                                   double scale) {
        String op = "scaled_dot_product_attention";
        if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2 || query.size(-1) != key.size(-1) || key.size(-2) != value.size(-2)) {
            throw new IllegalArgumentException(op + ": expected query (..., L, E), key (..., S, E) and value (..., S, Ev), got "
                    + Shapes.str(query.shape()) + ", " + Shapes.str(key.shape()) + " and " + Shapes.str(value.shape()));
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException(op + ": give either attn_mask or is_causal, not both");
        }
        int l = query.size(-2);
        int s = key.size(-2);
        double factor = Double.isNaN(scale) ? 1 / Math.sqrt(query.size(-1)) : scale;
        Tensor scores = query.matmul(key.transpose(-2, -1)).mul(factor);
        Tensor mask = attnMask;
        if (mask != null && mask.dtype() == dev.cortado.tensor.DType.INT64) {
            // PyTorch's bool mask for this function: nonzero (True) takes part, zero is blocked; the opposite of MultiheadAttention's.
            mask = Tensor.where(mask.ne(0), scores.newFull(new int[0], 0), scores.newFull(new int[0], Double.NEGATIVE_INFINITY));
        }
        if (isCausal) {
            mask = MultiheadAttention.causalMask(l, s, query.device());
        }
        if (mask != null) {
            scores = scores.add(mask);
        }
        Tensor weights = scores.softmax(-1);
        if (dropoutP > 0) {
            weights = dropout(weights, dropoutP, true);
        }
        return weights.matmul(value);
    }

    /** {@code F.pixel_shuffle(x, r)}: (*, C r², H, W) to (*, C, H r, W r). */
    public static Tensor pixelShuffle(Tensor x, int upscaleFactor) {
        return Shuffles.pixelShuffle(x, upscaleFactor);
    }

    /** {@code F.pixel_unshuffle(x, r)}: (*, C, H r, W r) to (*, C r², H, W). */
    public static Tensor pixelUnshuffle(Tensor x, int downscaleFactor) {
        return Shuffles.pixelUnshuffle(x, downscaleFactor);
    }

    /** {@code F.channel_shuffle(x, groups)}: (N, C, *) with the channels of the groups interleaved. */
    public static Tensor channelShuffle(Tensor x, int groups) {
        return Shuffles.channelShuffle(x, groups);
    }

    /** y = x Wᵀ + b for x (..., in), weight (out, in), optional bias (out). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || x.dim() < 1 || x.size(x.dim() - 1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape()) + " must end in in_features = "
                    + (weight.dim() == 2 ? weight.size(1) : "?") + " of weight " + Shapes.str(weight.shape()) + " (out_features, in_features)");
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** {@code F.bilinear(x1, x2, weight, bias)}: x1 (*, in1), x2 (*, in2), weight (out, in1, in2), optional bias (out). */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) {
        if (weight.dim() != 3 || x1.dim() < 1 || x2.dim() != x1.dim() || x1.size(-1) != weight.size(1) || x2.size(-1) != weight.size(2)
                || !java.util.Arrays.equals(java.util.Arrays.copyOf(x1.shape(), x1.dim() - 1), java.util.Arrays.copyOf(x2.shape(), x2.dim() - 1))) {
            throw new IllegalArgumentException("bilinear: expected input1 (*, in1) and input2 (*, in2) with the same leading dims and weight "
                    + "(out, in1, in2), got " + Shapes.str(x1.shape()) + ", " + Shapes.str(x2.shape()) + " and " + Shapes.str(weight.shape()));
        }
        Tensor y = Tensor.einsum("...i,oij,...j->...o", x1, weight, x2);
        return bias == null ? y : y.add(bias);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolution.conv2d(x, weight, bias, options);
    }

    /**
     * {@code F.conv_transpose2d}: weight (in, out / groups, kH, kW); outputPadding adds rows and
     * columns at the bottom and right, to pick among the output sizes a stride allows.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvOptions options, int outputPaddingH, int outputPaddingW) {
        return TransposedConvolution.convTranspose2d(x, weight, bias, options, outputPaddingH, outputPaddingW);
    }

    /** {@code F.conv1d}: input (N, Cin, L) or (Cin, L), weight (Cout, Cin / groups, k); one stride, padding and dilation from options. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, ConvOptions options) {
        return Convolution.conv1d(x, weight, bias, options);
    }

    /** {@code F.conv_transpose1d}: weight (Cin, Cout / groups, k); outputPadding adds positions at the end. */
    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, ConvOptions options, int outputPadding) {
        return TransposedConvolution.convTranspose1d(x, weight, bias, options, outputPadding);
    }

    /** {@code F.conv3d} with padding "same" (stride 1 only) or "valid". */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return Volumes.conv3d(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code F.conv_transpose3d(x, weight, bias, stride, padding, output_padding, groups, dilation)}: input (N, Cin, D, H, W) or
     * (Cin, D, H, W), weight (Cin, Cout / groups, kD, kH, kW); settings are (D, H, W) triples.
     */
    public static Tensor convTranspose3d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups,
                                         int[] dilation) {
        return Volumes.convTranspose3d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.conv3d}: input (N, Cin, D, H, W) or (Cin, D, H, W), weight (Cout, Cin / groups, kD, kH, kW); settings are (D, H, W) triples. */
    public static Tensor conv3d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Volumes.conv3d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.max_pool3d(x, kernel, stride, padding, dilation, ceil_mode)} with (D, H, W) triples. */
    public static Tensor maxPool3d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Volumes.maxPool3d(x, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * {@code F.max_pool3d(..., return_indices=True)}: the maxima and, for each, its position
     * {@code (d · H + h) · W + w} in its input volume, as {@link #maxUnpool3d} takes them.
     */
    public static ValuesIndices maxPool3dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Volumes.maxPool3dWithIndices(x, kernel, stride, padding, dilation, ceilMode);
    }

    /**
     * {@code F.max_unpool1d(x, indices, kernel_size, stride, padding, output_size)}: each value of
     * x written at its index along L in a zero output, which is {@code (L − 1) · stride + kernel −
     * 2 · padding} long unless outputSize (L, or (N, C, L); null for the default) says otherwise.
     */
    public static Tensor maxUnpool1d(Tensor x, Tensor indices, int kernel, int stride, int padding, int[] outputSize) {
        return Unpooling.maxUnpool(1, x, indices, new int[] {kernel}, new int[] {stride}, new int[] {padding}, outputSize);
    }

    /**
     * {@code F.max_unpool2d(x, indices, kernel_size, stride, padding, output_size)} on (N, C, H, W)
     * or (C, H, W): each value written at its index {@code h · W + w} in a zero output plane, as
     * {@link #maxPool2dWithIndices} gives them; a place written twice keeps the last value.
     */
    public static Tensor maxUnpool2d(Tensor x, Tensor indices, int[] kernel, int[] stride, int[] padding, int[] outputSize) {
        return Unpooling.maxUnpool(2, x, indices, kernel, stride, padding, outputSize);
    }

    /** {@code F.max_unpool2d(x, indices, k)}: a square window, stride k, no padding. */
    public static Tensor maxUnpool2d(Tensor x, Tensor indices, int kernel) {
        return maxUnpool2d(x, indices, new int[] {kernel, kernel}, new int[] {kernel, kernel}, new int[] {0, 0}, null);
    }

    /** {@code F.max_unpool3d(x, indices, kernel_size, stride, padding, output_size)} with (D, H, W) triples, indices as {@link #maxPool3dWithIndices} gives them. */
    public static Tensor maxUnpool3d(Tensor x, Tensor indices, int[] kernel, int[] stride, int[] padding, int[] outputSize) {
        return Unpooling.maxUnpool(3, x, indices, kernel, stride, padding, outputSize);
    }

    /** {@code F.adaptive_avg_pool3d(x, (outD, outH, outW))}: each output averages input depths, rows and columns {@code floor(i D / outD)} to {@code ceil((i + 1) D / outD)}. */
    public static Tensor adaptiveAvgPool3d(Tensor x, int outD, int outH, int outW) {
        return Volumes.adaptiveAvgPool3d(x, outD, outH, outW);
    }

    /** {@code F.adaptive_max_pool3d(x, (outD, outH, outW))}: the maximum over the same boxes as {@link #adaptiveAvgPool3d}. */
    public static Tensor adaptiveMaxPool3d(Tensor x, int outD, int outH, int outW) {
        return Volumes.adaptiveMaxPool3d(x, outD, outH, outW);
    }

    /** {@code F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad)} with (D, H, W) triples. */
    public static Tensor avgPool3d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return Volumes.avgPool3d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    public static Tensor maxPool1d(Tensor x, int kernel) {
        return Pooling1d.maxPool1d(x, PoolOptions.of(kernel));
    }

    public static Tensor maxPool1d(Tensor x, PoolOptions options) {
        return Pooling1d.maxPool1d(x, options);
    }

    /** Max pooling that also returns, per output, the position of its maximum along L. */
    public static ValuesIndices maxPool1dWithIndices(Tensor x, PoolOptions options) {
        return Pooling1d.maxPool1dWithIndices(x, options);
    }

    public static Tensor avgPool1d(Tensor x, int kernel) {
        return Pooling1d.avgPool1d(x, PoolOptions.of(kernel));
    }

    public static Tensor avgPool1d(Tensor x, PoolOptions options) {
        return Pooling1d.avgPool1d(x, options);
    }

    public static Tensor adaptiveAvgPool1d(Tensor x, int size) {
        return Pooling1d.adaptiveAvgPool1d(x, size);
    }

    public static Tensor adaptiveMaxPool1d(Tensor x, int size) {
        return Pooling1d.adaptiveMaxPool1d(x, size);
    }

    public static Tensor maxPool2d(Tensor x, int kernel) {
        return Pooling.maxPool2d(x, PoolOptions.of(kernel));
    }

    public static Tensor maxPool2d(Tensor x, PoolOptions options) {
        return Pooling.maxPool2d(x, options);
    }

    public static ValuesIndices maxPool2dWithIndices(Tensor x, PoolOptions options) {
        return Pooling.maxPool2dWithIndices(x, options);
    }

    public static Tensor avgPool2d(Tensor x, int kernel) {
        return Pooling.avgPool2d(x, PoolOptions.of(kernel));
    }

    public static Tensor avgPool2d(Tensor x, PoolOptions options) {
        return Pooling.avgPool2d(x, options);
    }

    /** {@code F.lp_pool1d(x, norm_type, kernel_size, stride, ceil_mode)}: (Σ x^p)^(1/p) over each window of L. */
    public static Tensor lpPool1d(Tensor x, double normType, int kernel, int stride, boolean ceilMode) {
        return LpPooling.lpPool1d(x, normType, kernel, stride, ceilMode);
    }

    /** {@code F.lp_pool2d(x, norm_type, (kh, kw), (sh, sw), ceil_mode)}: (Σ x^p)^(1/p) over each window. */
    public static Tensor lpPool2d(Tensor x, double normType, int kernelH, int kernelW, int strideH, int strideW, boolean ceilMode) {
        return LpPooling.lpPool2d(x, normType, kernelH, kernelW, strideH, strideW, ceilMode);
    }

    /** {@code F.adaptive_max_pool2d(x, (outH, outW))}; (1, 1) is global max pooling. */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        return Pooling.adaptiveMaxPool2d(x, outH, outW);
    }

    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        return Pooling.adaptiveAvgPool2d(x, outH, outW);
    }

    /**
     * {@code F.batch_norm}: normalises over every dim but 1 with batch statistics in training
     * (updating the running ones in place when given: {@code r = (1 - momentum) r + momentum s},
     * with the unbiased batch variance) or with the running ones in eval.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                                   double momentum, double eps) {
        return dev.cortado.tensor.Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * {@code F.layer_norm}: each sample normalised over its trailing dims, which must be
     * normalizedShape, with the biased variance; then times weight and plus bias (either may be null).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return GroupStatistics.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** {@code F.group_norm}: (N, C, *) normalised per sample over each of numGroups groups of C / numGroups channels. */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        return GroupStatistics.groupNorm(x, numGroups, weight, bias, eps);
    }

    /**
     * {@code F.interpolate(x, size=(h, w), mode, align_corners)} for (N, C, H, W) inputs;
     * alignCorners only with BILINEAR (false is PyTorch's None).
     */
    public static Tensor interpolate(Tensor x, int[] size, InterpolationMode mode, boolean alignCorners) {
        return Interpolation.interpolate(x, size, null, mode, alignCorners);
    }

    /** {@code F.interpolate(x, scale_factor=s, mode, align_corners)}: one factor for H and W, or one each. */
    public static Tensor interpolate(Tensor x, double[] scaleFactor, InterpolationMode mode, boolean alignCorners) {
        return Interpolation.interpolate(x, null, scaleFactor, mode, alignCorners);
    }

    /**
     * {@code F.interpolate(x, size, mode="bilinear" or "bicubic", align_corners, antialias=True)} when
     * antialias: shrinking averages every pixel under a filter stretched to the scale (PIL's and
     * torchvision's Resize), where plain bilinear blends only the two nearest and aliases.
     */
    public static Tensor interpolate(Tensor x, int[] size, InterpolationMode mode, boolean alignCorners, boolean antialias) {
        return Interpolation.interpolate(x, size, null, mode, alignCorners, antialias);
    }

    public static Tensor interpolate(Tensor x, double[] scaleFactor, InterpolationMode mode, boolean alignCorners, boolean antialias) {
        return Interpolation.interpolate(x, null, scaleFactor, mode, alignCorners, antialias);
    }

    /** {@code F.interpolate(x, scale_factor=s)}: nearest neighbour. */
    public static Tensor interpolate(Tensor x, double scaleFactor) {
        return Interpolation.interpolate(x, null, new double[] {scaleFactor}, InterpolationMode.NEAREST, false);
    }

    /** {@code F.one_hot(labels, num_classes)}: int64 rows with a 1 at each label; numClasses -1 takes the largest label plus 1. */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        return dev.cortado.tensor.Classification.oneHot(labels, numClasses);
    }

    /** Zeroes each element with probability p in training and scales the rest by 1 / (1 - p); identity otherwise. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return DropoutFunction.dropout("dropout", x, p, training, false);
    }

    /** Zeroes whole channels of (N, C, L) or (C, L) inputs with probability p in training, {@code F.dropout1d}. */
    public static Tensor dropout1d(Tensor x, double p, boolean training) {
        return DropoutFunction.featureDropout("dropout1d", x, p, training, 1);
    }

    /**
     * Zeroes whole channels of (N, C, H, W) or (C, H, W) inputs with probability p in training. A
     * 3-d input is one unbatched image, as PyTorch's {@code nn.Dropout2d} documents; PyTorch 1.13's
     * {@code F.dropout2d} still treats it as (N, C, L), with a warning that this will change.
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training) {
        return DropoutFunction.featureDropout("dropout2d", x, p, training, 2);
    }

    /** Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs with probability p in training, {@code F.dropout3d}. */
    public static Tensor dropout3d(Tensor x, double p, boolean training) {
        return DropoutFunction.featureDropout("dropout3d", x, p, training, 3);
    }

    /**
     * {@code F.alpha_dropout}: for SELU networks, each element is set to SELU's negative saturation
     * with probability p and the result is scaled and shifted so a zero-mean, unit-variance input
     * keeps its mean and variance; identity outside training.
     */
    public static Tensor alphaDropout(Tensor x, double p, boolean training) {
        return DropoutFunction.dropout("alpha_dropout", x, p, training, true);
    }

    /** {@code F.feature_alpha_dropout}: alpha dropout of whole channels of an (N, C, ...) input. */
    public static Tensor featureAlphaDropout(Tensor x, double p, boolean training) {
        return DropoutFunction.featureAlphaDropout(x, p, training);
    }

    /**
     * {@code F.embedding(input, weight, padding_idx)}: the rows of weight (num_embeddings,
     * embedding_dim) at the int64 indices; the padding row (null for none) gets no gradient.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) {
        Integer padding = paddingIdx == null || weight.dim() != 2 ? paddingIdx : Embedding.paddingIndex("embedding", weight.size(0), paddingIdx);
        return Embedding.lookup("embedding", input, weight, padding);
    }

    /**
     * {@code F.pad(x, pad, mode, value)}: {@code pad} holds (left, right) pairs from the last dim
     * backwards; mode "constant" (negative amounts crop), "reflect", "replicate" or "circular".
     */
    public static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        PadMode m = switch (mode) {
            case "constant" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            case "replicate" -> PadMode.REPLICATE;
            case "circular" -> PadMode.CIRCULAR;
            default -> throw new IllegalArgumentException("pad: mode must be constant, reflect, replicate or circular, got \"" + mode + "\"");
        };
        if (m != PadMode.CONSTANT && value != 0) {
            throw new IllegalArgumentException("pad: padding mode \"" + mode + "\" doesn't take in value argument");
        }
        return x.pad(pad, m, value);
    }

    /** {@code F.pad(x, pad)}: zeros. */
    public static Tensor pad(Tensor x, int... pad) {
        return x.pad(pad, PadMode.CONSTANT, 0);
    }

    /**
     * {@code F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
     * momentum, eps)} on (N, C, ...): each sample's channel normalised over its own positions; the
     * running statistics, when given, are updated in place with the samples' mean.
     */
    public static Tensor instanceNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useInputStats,
                                      double momentum, double eps) {
        return InstanceNormNd.instanceNorm("instance_norm", input, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    /**
     * {@code F.gumbel_softmax(logits, tau, hard, dim)}: a sample from the Gumbel-softmax
     * distribution, softmax((logits + g) / tau) with g = −log(−log u) for uniform draws u of the
     * default generator; with hard, the one-hot of its argmax forward and the soft sample's
     * gradient backward (the straight-through estimator).
     */
    public static Tensor gumbelSoftmax(Tensor logits, double tau, boolean hard, int dim) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("gumbel_softmax: tau must be positive, got " + tau);
        }
        Tensor gumbels;
        try (var off = dev.cortado.autograd.GradMode.off()) {
            // u in (0, 1): a draw of exactly 0 would give an infinite sample.
            gumbels = logits.randLike().clampMin(Float.MIN_NORMAL).log().neg().log().neg();
        }
        Tensor soft = logits.add(gumbels).div(tau).softmax(dim);
        if (!hard) {
            return soft;
        }
        Tensor index = soft.argmax(dim, true);
        Tensor oneHot = soft.detach().zerosLike().scatter(dim, index, 1.0);
        return oneHot.sub(soft.detach()).add(soft);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        return x.flatten(startDim, endDim);
    }

    // ---- losses ---------------------------------------------------------------------------

    /** Mean cross-entropy of logits (N, C) against int64 class indices (N). */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, Reduction.MEAN, 0);
    }

    /**
     * {@code F.cross_entropy}: input logits (N, C), (C) or (N, C, d1, ...); target int64 class
     * indices (N, d1, ...) or float32 class probabilities of the input's shape; optional class
     * weights (C); targets equal to {@code ignoreIndex} contribute nothing; label smoothing mixes
     * the target with the uniform distribution.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** {@code F.nll_loss} of log-probabilities (N, C) against int64 class indices (N). */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, -100, Reduction.MEAN);
    }

    /** Mean squared error; input and target must have the same shape. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mse(input, target, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Sigmoid plus binary cross-entropy in one stable step; optional {@code posWeight} broadcast over the last dim. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor posWeight, Reduction reduction) {
        return Losses.bceWithLogits(input, target, posWeight, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, Reduction.MEAN);
    }

    /** Mean absolute error, {@code F.l1_loss}. */
    /** {@code F.soft_margin_loss}: log(1 + exp(-y x)) for targets of ±1. */
    public static Tensor softMarginLoss(Tensor input, Tensor target, Reduction reduction) {
        return MarginLosses.softMargin(input, target, reduction);
    }

    /** {@code F.multilabel_soft_margin_loss}: per sample, the mean over classes of the weighted binary cross-entropy on logits; weight may be null. */
    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return MarginLosses.multilabelSoftMargin(input, target, weight, reduction);
    }

    /** {@code F.hinge_embedding_loss}: x where y is 1, max(0, margin - x) where y is -1. */
    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.hingeEmbedding(input, target, margin, reduction);
    }

    /** {@code F.margin_ranking_loss}: max(0, -y (x1 - x2) + margin). */
    public static Tensor marginRankingLoss(Tensor input1, Tensor input2, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.marginRanking(input1, input2, target, margin, reduction);
    }

    /** {@code F.cosine_embedding_loss}: 1 - cos(x1, x2) where y is 1, max(0, cos - margin) where y is -1. */
    public static Tensor cosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, double margin, Reduction reduction) {
        return MarginLosses.cosineEmbedding(input1, input2, target, margin, reduction);
    }

    /** {@code F.triplet_margin_loss}: max(0, margin + d(anchor, positive) - d(anchor, negative)) with p-norm distances. */
    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps, boolean swap,
                                           Reduction reduction) {
        return MarginLosses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    /**
     * {@code F.triplet_margin_with_distance_loss(anchor, positive, negative, distance_function,
     * margin, swap, reduction)}: max(0, margin + d(anchor, positive) − d(anchor, negative)) for any
     * distance of two batches, such as {@code (x, y) -> F.cosineSimilarity(x, y).rsub(1)}; null is
     * the Euclidean {@link #pairwiseDistance}.
     */
    public static Tensor tripletMarginWithDistanceLoss(Tensor anchor, Tensor positive, Tensor negative,
                                                       java.util.function.BinaryOperator<Tensor> distanceFunction, double margin, boolean swap,
                                                       Reduction reduction) {
        return MarginLosses.tripletMarginWithDistance(anchor, positive, negative, distanceFunction, margin, swap, reduction);
    }

    /**
     * {@code F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction,
     * zero_infinity)}: the connectionist temporal classification loss of log-probabilities (T, N,
     * C) (or (T, C)) against targets (N, S) padded, or 1-d one after another, with int64 lengths
     * per sample. MEAN divides each loss by its target length before the batch mean, as PyTorch.
     */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, int blank, Reduction reduction,
                                 boolean zeroInfinity) {
        return Ctc.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }

    /** {@code F.multi_margin_loss}: the multi-class hinge loss on scores (N, C) and int64 targets (N); weight may be null. */
    public static Tensor multiMarginLoss(Tensor input, Tensor target, int p, double margin, Tensor weight, Reduction reduction) {
        return MarginLosses.multiMargin(input, target, p, margin, weight, reduction);
    }

    /** {@code F.poisson_nll_loss}: exp(x) - y x on log rates (logInput), else x - y log(x + eps); full adds Stirling's term. */
    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps, Reduction reduction) {
        return LikelihoodLosses.poissonNll(input, target, logInput, full, eps, reduction);
    }

    /** {@code F.gaussian_nll_loss}: ½ (log var + (x - y)² / var), var clamped below at eps. */
    public static Tensor gaussianNllLoss(Tensor input, Tensor target, Tensor var, boolean full, double eps, Reduction reduction) {
        return LikelihoodLosses.gaussianNll(input, target, var, full, eps, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return PointwiseLosses.l1(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** {@code F.smooth_l1_loss}: quadratic below {@code beta}, linear above (beta 1 by default, 0 gives L1). */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return PointwiseLosses.smoothL1(input, target, reduction, beta);
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code F.huber_loss}: quadratic below {@code delta}, then linear with slope delta (delta 1 by default). */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return PointwiseLosses.huber(input, target, reduction, delta);
    }

    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code F.binary_cross_entropy} on probabilities in [0, 1]; optional {@code weight} broadcast to the input. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return PointwiseLosses.binaryCrossEntropy(input, target, weight, reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * {@code F.kl_div(input, target)}: input holds log-probabilities, target probabilities (or
     * log-probabilities with {@code logTarget}). Use {@link Reduction#BATCHMEAN} for the KL
     * divergence per sample; MEAN, PyTorch's default, also divides by the number of classes.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return PointwiseLosses.klDiv(input, target, reduction, logTarget);
    }

    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /** {@code F.unfold} (im2col): every sliding block of a (N, C, H, W) batch as a column, (N, C·kh·kw, L). */
    public static Tensor unfold(Tensor input, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Folding.unfold(input, kernelSize, dilation, padding, stride);
    }

    public static Tensor unfold(Tensor input, int kernelSize) {
        return Folding.unfold(input, kernelSize);
    }

    /** {@code F.fold} (col2im): columns (N, C·kh·kw, L) summed back into a (N, C, H, W) image. */
    public static Tensor fold(Tensor input, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return Folding.fold(input, outputSize, kernelSize, dilation, padding, stride);
    }

    public static Tensor fold(Tensor input, int[] outputSize, int kernelSize) {
        return Folding.fold(input, outputSize, kernelSize);
    }

    /**
     * {@code F.affine_grid(theta, size, align_corners)}: the sampling grid (N, H, W, 2) of the
     * affine maps theta (N, 2, 3) over an output of size (N, C, H, W), for {@link #gridSample}.
     */
    public static Tensor affineGrid(Tensor theta, int[] size, boolean alignCorners) {
        return GridSampling.affineGrid(theta, size, alignCorners);
    }

    /**
     * {@code F.grid_sample(input, grid, mode, padding_mode, align_corners)}: reads input (N, C, H,
     * W) at the normalised (x, y) positions of grid (N, H_out, W_out, 2), -1 and 1 being the
     * image's edges (or its corner pixels' centres with alignCorners); NEAREST rounds halves to even
     * and gives the grid no gradient (null, where PyTorch's is zeros).
     */
    public static Tensor gridSample(Tensor input, Tensor grid, InterpolationMode mode, GridPadding padding, boolean alignCorners) {
        return GridSampling.gridSample(input, grid, mode, padding, alignCorners);
    }

    /** {@code F.normalize(x, p, dim, eps)}: x / max(‖x‖_p, eps) along dim (p 2, dim 1, eps 1e-12 in PyTorch's defaults). */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) {
        return Distances.normalize(x, p, dim, eps);
    }

    public static Tensor normalize(Tensor x) {
        return normalize(x, 2, 1, 1e-12);
    }

    /** {@code F.cosine_similarity(x1, x2, dim, eps)}: the cosine of the angle between x1 and x2 along dim (dim 1, eps 1e-8 by default). */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        return Distances.cosineSimilarity(x1, x2, dim, eps);
    }

    public static Tensor cosineSimilarity(Tensor x1, Tensor x2) {
        return cosineSimilarity(x1, x2, 1, 1e-8);
    }

    /** {@code F.pairwise_distance(x1, x2, p, eps, keepdim)}: ‖x1 - x2 + eps‖_p along the last dim (p 2, eps 1e-6 by default). */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        return Distances.pairwiseDistance(x1, x2, p, eps, keepdim);
    }

    public static Tensor pairwiseDistance(Tensor x1, Tensor x2) {
        return pairwiseDistance(x1, x2, 2, 1e-6, false);
    }

    /** {@code F.logsigmoid(x)}: log σ(x) = -softplus(-x), without overflow. */
    public static Tensor logsigmoid(Tensor x) {
        return Activations.softplus(x.neg(), 1, 20).neg();
    }

    /**
     * {@code F.local_response_norm(x, size, alpha, beta, k)} (AlexNet's): x / (k + alpha · mean of
     * x² over the size channels around each one, zero-padded)^beta, on inputs of 3 or more dims.
     */
    public static Tensor localResponseNorm(Tensor x, int size, double alpha, double beta, double k) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException("local_response_norm: expected an input of 3 or more dims (N, C, ...), got "
                    + Shapes.str(x.shape()));
        }
        if (size < 1) {
            throw new IllegalArgumentException("local_response_norm: size must be positive, got " + size);
        }
        int[] pad = new int[2 * (x.dim() - 1)];
        pad[pad.length - 2] = size / 2;
        pad[pad.length - 1] = (size - 1) / 2;
        Tensor windows = x.mul(x).pad(pad).unfold(1, size, 1);
        Tensor div = windows.mean(new int[] {windows.dim() - 1}, false).mul(alpha).add(k).pow(beta);
        return x.div(div);
    }
}
