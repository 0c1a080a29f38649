package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;

/**
 * Depthwise convolution (groups = in = out channels, MobileNet's, EfficientNet's and ConvNeXt's
 * k×k layers) computed directly, by {@link DepthwisePlanes}: through im2col each group would be a
 * one-row matrix product over a k²-row column matrix, and building the columns cost more than the
 * products. The forward pass, the weight gradient and the input gradient at stride 1 (a forward
 * pass with the kernel turned) run there; the input gradient at a larger stride runs by phase in
 * {@link DepthwiseStridedGradient}.
 */
final class DepthwiseConv {
    private DepthwiseConv() {
    }

    /** One output channel per input channel, each from its own input channel. */
    static boolean applies(int inChannels, int outChannels, Conv2dParams p) {
        return p.groups() > 1 && p.groups() == inChannels && outChannels == inChannels;
    }

    /** The forward pass, plus the channel's bias where bias is not null. */
    static void forward(Tensor out, Tensor x, Tensor weight, Tensor bias, Conv2dParams p) {
        DepthwisePlanes planes = new DepthwisePlanes(x.size(2), x.size(3), out.size(2), out.size(3), p.kernelH(), p.kernelW(), p.strideH(),
                p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
        planes.run(Elementwise.f(out), out.offset(), Elementwise.f(x), x.offset(), Elementwise.f(weight), weight.offset(),
                bias == null ? null : Elementwise.f(bias), bias == null ? 0 : bias.offset(), x.size(0) * x.size(1), x.size(1));
    }

    /**
     * gradInput: each output gradient times the tap's weight, added where the tap read its input.
     * At stride 1 that is the forward pass over the output gradient with the kernel turned half a
     * circle and the padding that is left, (k − 1)·d − p; at larger strides (or padding past the
     * kernel's reach) {@link DepthwiseStridedGradient} splits it by phase.
     */
    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        int kh = p.kernelH(), kw = p.kernelW();
        int padH = (kh - 1) * p.dilationH() - p.padH(), padW = (kw - 1) * p.dilationW() - p.padW();
        int c = weight.size(0), taps = kh * kw;
        float[] wd = Elementwise.f(weight);
        if (p.strideH() != 1 || p.strideW() != 1 || padH < 0 || padW < 0) {
            DepthwiseStridedGradient phases = new DepthwiseStridedGradient(gradInput.size(2), gradInput.size(3), gradOut.size(2),
                    gradOut.size(3), kh, kw, p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
            phases.run(Elementwise.f(gradInput), gradInput.offset(), Elementwise.f(gradOut), gradOut.offset(), wd, weight.offset(),
                    gradOut.size(0) * c, c);
            return;
        }
        float[] turned = new float[c * taps];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < taps; t++) {
                turned[ch * taps + taps - 1 - t] = wd[weight.offset() + ch * taps + t];
            }
        }
        DepthwisePlanes planes = new DepthwisePlanes(gradOut.size(2), gradOut.size(3), gradInput.size(2), gradInput.size(3), kh, kw, 1, 1,
                padH, padW, p.dilationH(), p.dilationW());
        planes.run(Elementwise.f(gradInput), gradInput.offset(), Elementwise.f(gradOut), gradOut.offset(), turned, 0, null, 0,
                gradOut.size(0) * c, c);
    }

    /** gradWeight: for each channel and tap, the sum over samples and positions of output gradient times the input the tap read. */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        DepthwisePlanes planes = new DepthwisePlanes(x.size(2), x.size(3), gradOut.size(2), gradOut.size(3), p.kernelH(), p.kernelW(),
                p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
        planes.weightGradient(Elementwise.f(gradWeight), gradWeight.offset(), Elementwise.f(gradOut), gradOut.offset(), Elementwise.f(x),
                x.offset(), x.size(0), x.size(1));
    }
}
