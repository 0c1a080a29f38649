package dev.cortado.tensor;

import dev.cortado.backend.Pool2dParams;

import java.util.Arrays;

/**
 * 3-d convolution and pooling on (N, C, D, H, W) or unbatched (C, D, H, W) inputs, built on the
 * 2-d kernels so that every backend has them with their gradients: a 3-d convolution is the sum
 * over the kernel's depth taps of 2-d convolutions of depth slices (batched as N · D_out images),
 * and a 3-d pool is a 2-d pool over (H, W) followed by one over (D, 1) of the (N, C, D, H'·W') view,
 * since max and average pooling separate by dimension. Settings are (depth, height, width) triples.
 */
public final class Volumes {
    private Volumes() {
    }

    /** {@code F.conv3d(x, weight, bias, stride, padding, dilation, groups)}: weight (Cout, Cin / groups, kD, kH, kW), zero padding. */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (input.dim() == 4) {
            return conv3d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0);
        }
        String op = "conv3d";
        triples(op, stride, padding, dilation);
        if (input.dim() != 5 || weight.dim() != 5) {
            throw new IllegalArgumentException(op + ": expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input and a 5-d weight "
                    + "(out_channels, in_channels / groups, kD, kH, kW), got " + Shapes.str(input.shape()) + " and " + Shapes.str(weight.shape()));
        }
        for (int i = 0; i < 3; i++) {
            if (stride[i] < 1 || dilation[i] < 1 || padding[i] < 0) {
                throw new IllegalArgumentException(op + ": stride and dilation must be positive and padding non-negative, got stride "
                        + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation));
            }
            int padded = input.size(2 + i) + 2 * padding[i];
            int span = dilation[i] * (weight.size(2 + i) - 1) + 1;
            if (padded < span) {
                throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " padded to (" + (input.size(2) + 2 * padding[0])
                        + ", " + (input.size(3) + 2 * padding[1]) + ", " + (input.size(4) + 2 * padding[2]) + ") is smaller than the dilated kernel");
            }
        }
        Convolution.checkChannels(op, input, weight, bias, groups);
        int n = input.size(0);
        int kd = weight.size(2);
        int outD = (input.size(2) + 2 * padding[0] - dilation[0] * (kd - 1) - 1) / stride[0] + 1;
        Tensor x = padding[0] > 0 ? input.pad(new int[] {0, 0, 0, 0, padding[0], padding[0]}, PadMode.CONSTANT, 0) : input;
        ConvOptions plane = ConvOptions.DEFAULT.stride(stride[1], stride[2]).padding(padding[1], padding[2]).dilation(dilation[1], dilation[2])
                .groups(groups);
        Tensor sum = null;
        for (int t = 0; t < kd; t++) {
            int start = t * dilation[0];
            Tensor slices = x.slice(2, start, start + (outD - 1) * stride[0] + 1, stride[0]);
            Tensor images = slices.transpose(1, 2).reshape(n * outD, x.size(1), x.size(3), x.size(4));
            Tensor y = Convolution.conv2d(images, weight.select(2, t), null, plane);
            sum = sum == null ? y : sum.add(y);
        }
        Tensor out = sum.reshape(n, outD, weight.size(0), sum.size(2), sum.size(3)).transpose(1, 2);
        return bias == null ? out : out.add(bias.reshape(1, bias.numel(), 1, 1, 1));
    }

    /**
     * {@code F.conv3d(x, weight, bias, stride, padding, dilation, groups)} with PyTorch's string
     * padding: "valid" (none) or "same" (stride 1 only), which pads so the output keeps the input's
     * depth, height and width, an odd extra slice at the end, as PyTorch does.
     */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return conv3d(input, weight, bias, stride, padding, dilation, groups, PadMode.CONSTANT);
    }

    /**
     * As {@link #conv3d(Tensor, Tensor, Tensor, int[], int[], int[], int)}, padded by mode (as
     * {@code nn.Conv3d}'s {@code padding_mode}: constant means zeros) rather than with zeros inside the convolution.
     */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups, PadMode mode) {
        triples("conv3d", stride, padding, dilation);
        if (mode == PadMode.CONSTANT || padding[0] == 0 && padding[1] == 0 && padding[2] == 0) {
            return conv3d(input, weight, bias, stride, padding, dilation, groups);
        }
        Tensor x = input.pad(new int[] {padding[2], padding[2], padding[1], padding[1], padding[0], padding[0]}, mode, 0);
        return conv3d(x, weight, bias, stride, new int[3], dilation, groups);
    }

    /** As {@link #conv3d(Tensor, Tensor, Tensor, int[], String, int[], int)}, padded by mode. */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups, PadMode mode) {
        String op = "conv3d";
        triples(op, stride, dilation);
        if (padding.equals("valid")) {
            return conv3d(input, weight, bias, stride, new int[3], dilation, groups);
        }
        if (!padding.equals("same")) {
            throw new IllegalArgumentException(op + ": padding must be \"same\", \"valid\" or integers, got \"" + padding + "\"");
        }
        if (stride[0] != 1 || stride[1] != 1 || stride[2] != 1) {
            throw new IllegalArgumentException(op + ": padding=\"same\" is not supported for strided convolutions (stride "
                    + Arrays.toString(stride) + ")");
        }
        if (weight.dim() != 5) {
            throw new IllegalArgumentException(op + ": expected a 5-d weight (out_channels, in_channels / groups, kD, kH, kW), got "
                    + Shapes.str(weight.shape()));
        }
        int[] total = SamePadding.totals(new int[] {weight.size(2), weight.size(3), weight.size(4)}, dilation);
        if (mode == PadMode.CONSTANT && total[0] % 2 == 0 && total[1] % 2 == 0 && total[2] % 2 == 0) {
            return conv3d(input, weight, bias, stride, new int[] {total[0] / 2, total[1] / 2, total[2] / 2}, dilation, groups);
        }
        // In one step, the odd slice at the end: a reflection of a padded border would reflect the padding itself.
        Tensor x = input.pad(SamePadding.padArgument(total), mode, 0);
        return conv3d(x, weight, bias, stride, new int[3], dilation, groups);
    }

    /**
     * {@code F.conv_transpose3d(x, weight, bias, stride, padding, output_padding, groups, dilation)}:
     * weight (Cin, Cout / groups, kD, kH, kW), zero padding; the output's depth is
     * (D - 1) s - 2 p + d (kD - 1) + output_padding + 1, and likewise its height and width. Each
     * depth tap is a 2-d transposed convolution of every depth slice (batched as N · D images),
     * whose results are spread s apart along depth, shifted by the tap and summed, then cropped by
     * the padding, as the transposed 2-d convolution crops its rows.
     */
    public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        if (input.dim() == 4) {
            return convTranspose3d(input.unsqueeze(0), weight, bias, stride, padding, outputPadding, groups, dilation).squeeze(0);
        }
        String op = "conv_transpose3d";
        triples(op, stride, padding, dilation);
        if (outputPadding.length != 3) {
            throw new IllegalArgumentException(op + ": output padding takes 3 values (depth, height, width), got " + Arrays.toString(outputPadding));
        }
        if (input.dim() != 5 || weight.dim() != 5) {
            throw new IllegalArgumentException(op + ": expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input and a 5-d weight "
                    + "(in_channels, out_channels / groups, kD, kH, kW), got " + Shapes.str(input.shape()) + " and " + Shapes.str(weight.shape()));
        }
        for (int i = 0; i < 3; i++) {
            if (stride[i] < 1 || dilation[i] < 1 || padding[i] < 0 || outputPadding[i] < 0
                    || outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(op + ": stride and dilation must be positive, padding non-negative and output padding "
                        + "non-negative and smaller than either stride or dilation, got stride " + Arrays.toString(stride) + ", padding "
                        + Arrays.toString(padding) + ", output padding " + Arrays.toString(outputPadding) + ", dilation " + Arrays.toString(dilation));
            }
        }
        if (groups < 1 || input.size(1) % groups != 0 || input.size(1) != weight.size(0)
                || bias != null && (bias.dim() != 1 || bias.numel() != weight.size(1) * groups)) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " must have the weight's " + weight.size(0)
                    + " input channels, which groups " + groups + " divides, and a bias " + weight.size(1) * groups + " values; weight "
                    + Shapes.str(weight.shape()) + (bias == null ? "" : ", bias " + Shapes.str(bias.shape())));
        }
        int n = input.size(0);
        int depth = input.size(2);
        int kd = weight.size(2);
        int spread = (depth - 1) * stride[0] + 1;
        int uncropped = spread + dilation[0] * (kd - 1);
        int outD = uncropped - 2 * padding[0] + outputPadding[0];
        if (outD <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " with weight " + Shapes.str(weight.shape())
                    + " and padding " + Arrays.toString(padding) + " gives an output depth of " + outD + ", which must be positive");
        }
        // Output padding past the cropped padding reaches beyond every tap's reach: zeros there.
        int full = Math.max(uncropped, padding[0] + outD);
        Tensor images = input.transpose(1, 2).reshape(n * depth, input.size(1), input.size(3), input.size(4));
        ConvOptions plane = ConvOptions.DEFAULT.stride(stride[1], stride[2]).padding(padding[1], padding[2]).dilation(dilation[1], dilation[2])
                .groups(groups);
        Tensor sum = null;
        for (int t = 0; t < kd; t++) {
            Tensor y = TransposedConvolution.convTranspose2d(images, weight.select(2, t), null, plane, outputPadding[1], outputPadding[2]);
            int[] slices = {n, depth, y.size(1), y.size(2), y.size(3)};
            y = y.reshape(slices);
            if (stride[0] > 1) {
                int[] gaps = {n, depth, stride[0] - 1, y.size(2), y.size(3), y.size(4)};
                y = Tensor.cat(java.util.List.of(y.unsqueeze(2), y.newFull(gaps, 0)), 2)
                        .reshape(n, depth * stride[0], y.size(2), y.size(3), y.size(4)).narrow(1, 0, spread);
            }
            int before = t * dilation[0];
            y = y.pad(new int[] {0, 0, 0, 0, 0, 0, before, full - before - spread}, PadMode.CONSTANT, 0);
            sum = sum == null ? y : sum.add(y);
        }
        Tensor out = sum.narrow(1, padding[0], outD).transpose(1, 2);
        return bias == null ? out : out.add(bias.reshape(1, bias.numel(), 1, 1, 1));
    }

    /** {@code F.max_pool3d(x, kernel, stride, padding, dilation, ceil_mode)}. */
    public static Tensor maxPool3d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return pool("max_pool3d", input, kernel, stride, padding, dilation, ceilMode, true, true);
    }

    /**
     * {@code F.max_pool3d(..., return_indices=True)}: the maxima and, for each, its position in its
     * input volume, {@code (d · H + h) · W + w}, the first of tied maxima in (d, h, w) order.
     */
    public static ValuesIndices maxPool3dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        check("max_pool3d", input, kernel, stride, padding, dilation, ceilMode);
        if (input.dim() == 4) {
            ValuesIndices r = maxPool3dWithIndices(input.unsqueeze(0), kernel, stride, padding, dilation, ceilMode);
            return new ValuesIndices(r.values().squeeze(0), r.indices().squeeze(0));
        }
        int n = input.size(0);
        int c = input.size(1);
        int d = input.size(2);
        // Each plane's maxima first, then the maxima of those along depth: the earliest plane holding
        // the window's maximum, and that plane's first, which is PyTorch's (d, h, w) scan order.
        ValuesIndices y = Pooling.maxPool2dWithIndices(input.reshape(n, c * d, input.size(3), input.size(4)), planes(kernel, stride, padding,
                dilation, ceilMode, true));
        int h = y.values().size(2);
        int w = y.values().size(3);
        ValuesIndices z = Pooling.maxPool2dWithIndices(y.values().reshape(n, c, d, h * w), depth(kernel, stride, padding, dilation, ceilMode, true));
        Tensor plane = z.indices().floorDivide(h * w);
        Tensor within = y.indices().reshape(n, c, d, h * w).gather(2, plane);
        Tensor indices = plane.mul(input.size(3) * input.size(4)).add(within);
        int outD = z.values().size(2);
        return new ValuesIndices(z.values().reshape(n, c, outD, h, w), indices.reshape(n, c, outD, h, w));
    }

    /** {@code F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad)}. */
    public static Tensor avgPool3d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return pool("avg_pool3d", input, kernel, stride, padding, new int[] {1, 1, 1}, ceilMode, countIncludePad, false);
    }

    private static Tensor pool(String op, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode,
                               boolean countIncludePad, boolean max) {
        check(op, input, kernel, stride, padding, dilation, ceilMode);
        if (input.dim() == 4) {
            return pool(op, input.unsqueeze(0), kernel, stride, padding, dilation, ceilMode, countIncludePad, max).squeeze(0);
        }
        int n = input.size(0);
        int c = input.size(1);
        int d = input.size(2);
        PoolOptions planes = planes(kernel, stride, padding, dilation, ceilMode, countIncludePad);
        PoolOptions depth = depth(kernel, stride, padding, dilation, ceilMode, countIncludePad);
        Tensor flat = input.reshape(n, c * d, input.size(3), input.size(4));
        Tensor y = max ? Pooling.maxPool2d(flat, planes) : Pooling.avgPool2d(flat, planes);
        int h = y.size(2);
        int w = y.size(3);
        Tensor columns = y.reshape(n, c, d, h * w);
        Tensor z = max ? Pooling.maxPool2d(columns, depth) : Pooling.avgPool2d(columns, depth);
        return z.reshape(n, c, z.size(2), h, w);
    }

    /** {@code F.adaptive_avg_pool3d(x, (outD, outH, outW))}: each output averages its adaptive box, as {@link Pooling#adaptiveAvgPool2d} per dim. */
    public static Tensor adaptiveAvgPool3d(Tensor x, int outD, int outH, int outW) {
        return adaptive("adaptive_avg_pool3d", x, outD, outH, outW, false);
    }

    /** {@code F.adaptive_max_pool3d(x, (outD, outH, outW))}: each output is its adaptive box's maximum. */
    public static Tensor adaptiveMaxPool3d(Tensor x, int outD, int outH, int outW) {
        return adaptive("adaptive_max_pool3d", x, outD, outH, outW, true);
    }

    /**
     * A box's mean (or maximum) is the mean (or maximum) along depth of its planes' rectangle means
     * (maxima): the 2-d adaptive pool of each depth slice, then of the results along depth.
     */
    private static Tensor adaptive(String op, Tensor x, int outD, int outH, int outW, boolean max) {
        if (x.dim() != 4 && x.dim() != 5) {
            throw new IllegalArgumentException(op + ": expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got " + Shapes.str(x.shape()));
        }
        int s = x.dim() - 3;
        if (outD < 1 || outH < 1 || outW < 1 || x.size(s) < 1 || x.size(s + 1) < 1 || x.size(s + 2) < 1) {
            throw new IllegalArgumentException(op + ": output size (" + outD + ", " + outH + ", " + outW + ") must be positive and the input "
                    + Shapes.str(x.shape()) + " non-empty");
        }
        if (x.dim() == 4) {
            return adaptive(op, x.unsqueeze(0), outD, outH, outW, max).squeeze(0);
        }
        int n = x.size(0);
        int c = x.size(1);
        int d = x.size(2);
        Tensor planes = x.reshape(n, c * d, x.size(3), x.size(4));
        Tensor y = max ? Pooling.adaptiveMaxPool2d(planes, outH, outW) : Pooling.adaptiveAvgPool2d(planes, outH, outW);
        Tensor columns = y.reshape(n, c, d, outH * outW);
        Tensor z = max ? Pooling.adaptiveMaxPool2d(columns, outD, outH * outW) : Pooling.adaptiveAvgPool2d(columns, outD, outH * outW);
        return z.reshape(n, c, outD, outH, outW);
    }

    /** The (H, W) pooling of each depth slice. */
    private static PoolOptions planes(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad) {
        return PoolOptions.of(kernel[1], kernel[2]).stride(stride[1], stride[2]).padding(padding[1], padding[2])
                .dilation(dilation[1], dilation[2]).ceilMode(ceilMode).countIncludePad(countIncludePad);
    }

    /** The pooling along depth of the planes' results, laid out as (N, C, D, H·W) images. */
    private static PoolOptions depth(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad) {
        return PoolOptions.of(kernel[0], 1).stride(stride[0], 1).padding(padding[0], 0).dilation(dilation[0], 1).ceilMode(ceilMode)
                .countIncludePad(countIncludePad);
    }

    private static void check(String op, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        triples(op, kernel, stride, padding, dilation);
        if (input.dim() != 4 && input.dim() != 5) {
            throw new IllegalArgumentException(op + ": expected a 4-d (C, D, H, W) or 5-d (N, C, D, H, W) input, got " + Shapes.str(input.shape()));
        }
        int spatial = input.dim() - 3;
        for (int i = 0; i < 3; i++) {
            if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1 || padding[i] < 0 || padding[i] > kernel[i] / 2) {
                throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and padding at most half the "
                        + "kernel size, got kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding "
                        + Arrays.toString(padding) + ", dilation " + Arrays.toString(dilation));
            }
            // PyTorch's output-size rule, as the 2-d pools apply it, one dim at a time.
            Pool2dParams along = new Pool2dParams(kernel[i], 1, stride[i], 1, padding[i], 0, dilation[i], 1, ceilMode, false);
            if (along.outH(input.size(spatial + i)) < 1) {
                throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " with padding " + Arrays.toString(padding)
                        + " is smaller than the kernel " + Arrays.toString(kernel) + "; the output would be empty");
            }
        }
    }

    private static void triples(String op, int[]... settings) {
        for (int[] s : settings) {
            if (s.length != 3) {
                throw new IllegalArgumentException(op + ": kernel size, stride, padding and dilation each take 3 values (depth, height, width), got "
                        + Arrays.toString(s));
            }
        }
    }
}
