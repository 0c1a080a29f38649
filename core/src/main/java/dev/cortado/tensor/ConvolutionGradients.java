package dev.cortado.tensor;

import dev.cortado.backend.Conv2dParams;

/**
 * A convolution's gradients written as recorded ops, for a backward pass that records its
 * gradients' graph (createGraph): the input's gradient is the transposed convolution of the output
 * gradient by the weight, the weight's a convolution of the input by the output gradient with the
 * batch taken as channels, so both can be differentiated again. The plain backward pass keeps the
 * backend's fused kernels.
 */
final class ConvolutionGradients {
    private ConvolutionGradients() {
    }

    /** The gradient of conv2d(x, w) with respect to x (shaped like x), for output gradient g. */
    static Tensor input(Tensor g, Tensor w, Conv2dParams p, int height, int width) {
        // The rows (columns) the strided windows never reached come back as output padding.
        int padH = height + 2 * p.padH() - p.dilationH() * (p.kernelH() - 1) - 1 - (g.size(2) - 1) * p.strideH();
        int padW = width + 2 * p.padW() - p.dilationW() * (p.kernelW() - 1) - 1 - (g.size(3) - 1) * p.strideW();
        return TransposedConvolution.convTranspose2d(g, w, null, options(p), padH, padW);
    }

    /** conv2d's (and conv_transpose2d's) options for p, with zero padding. */
    static ConvOptions options(Conv2dParams p) {
        return new ConvOptions(p.strideH(), p.strideW(), p.padH(), p.padW(), false, p.dilationH(), p.dilationW(), p.groups(),
                PadMode.CONSTANT);
    }

    /**
     * The gradient of conv2d(x, w) with respect to w, for output gradient g: for each group, the
     * correlation of x's channels with g's over batch and pixels. As one grouped convolution, the
     * input channels become the batch and the batch the channels, and stride and dilation swap.
     */
    static Tensor weight(Tensor g, Tensor x, Conv2dParams p) {
        int n = x.size(0);
        int groups = p.groups();
        int inPerGroup = x.size(1) / groups;
        int outPerGroup = g.size(1) / groups;
        Tensor in = x.view(n, groups, inPerGroup, x.size(2), x.size(3)).permute(2, 1, 0, 3, 4)
                .reshape(inPerGroup, groups * n, x.size(2), x.size(3));
        Tensor filters = g.view(n, groups, outPerGroup, g.size(2), g.size(3)).permute(1, 2, 0, 3, 4)
                .reshape(groups * outPerGroup, n, g.size(2), g.size(3));
        ConvOptions o = new ConvOptions(p.dilationH(), p.dilationW(), p.padH(), p.padW(), false, p.strideH(), p.strideW(), groups,
                PadMode.CONSTANT);
        // (inPerGroup, out, kH', kW'), where kH' may exceed kH by rows no window reached.
        Tensor full = Convolution.conv2d(in, filters, null, o);
        return full.narrow(2, 0, p.kernelH()).narrow(3, 0, p.kernelW()).transpose(0, 1);
    }
}
