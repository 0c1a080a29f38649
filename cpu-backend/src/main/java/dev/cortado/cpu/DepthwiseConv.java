package dev.cortado.cpu;

import dev.cortado.backend.Conv2dParams;
import dev.cortado.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution (groups = in = out channels, MobileNet's, EfficientNet's and ConvNeXt's
 * k×k layers) computed directly, by {@link DepthwisePlanes}: through im2col each group would be a
 * one-row matrix product over a k²-row column matrix, and building the columns cost more than the
 * products. The forward pass, the weight gradient and the input gradient at stride 1 (a forward
 * pass with the kernel turned) run there; the input gradient at a larger stride scatters rows.
 */
final class DepthwiseConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DepthwiseConv() {
    }

    /** One output channel per input channel, each from its own input channel. */
    static boolean applies(int inChannels, int outChannels, Conv2dParams p) {
        return p.groups() > 1 && p.groups() == inChannels && outChannels == inChannels;
    }

    /** The first output position whose tap at offset {@code shift} (= j·dw − pw) lands at or after 0. */
    private static int firstOut(int shift, int stride) {
        return shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    }

    /** One past the last output position whose tap at {@code shift} lands before {@code size}, at most {@code outSize}. */
    private static int endOut(int shift, int stride, int size, int outSize) {
        int last = Math.floorDiv(size - 1 - shift, stride);
        return Math.max(0, Math.min(outSize, last + 1));
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
     * circle and the padding that is left, (k − 1)·d − p; otherwise each tap's rows are scattered.
     */
    static void backwardInput(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        int kh = p.kernelH(), kw = p.kernelW();
        int padH = (kh - 1) * p.dilationH() - p.padH(), padW = (kw - 1) * p.dilationW() - p.padW();
        if (p.strideH() != 1 || p.strideW() != 1 || padH < 0 || padW < 0) {
            scatterTaps(gradInput, gradOut, weight, p);
            return;
        }
        int c = weight.size(0), taps = kh * kw;
        float[] wd = Elementwise.f(weight);
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

    /**
     * The input gradient at a stride above 1: for each (sample, channel) plane of gradInput,
     * zeroed first, each tap and each output row, the weight times the output-gradient row is
     * added back into the input row the tap read.
     */
    private static void scatterTaps(Tensor gradInput, Tensor gradOut, Tensor weight, Conv2dParams p) {
        int c = gradInput.size(1), h = gradInput.size(2), w = gradInput.size(3), oh = gradOut.size(2), ow = gradOut.size(3);
        int kh = p.kernelH(), kw = p.kernelW();
        float[] gi = Elementwise.f(gradInput);
        float[] go = Elementwise.f(gradOut);
        float[] wd = Elementwise.f(weight);
        int giOff = gradInput.offset(), goOff = gradOut.offset(), wo = weight.offset();
        Parallel.forRange(gradInput.size(0) * c, Math.max(1, 8192 / Math.max(1, oh * ow)), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int ch = pl % c;
                int d = giOff + pl * h * w;
                int s = goOff + pl * oh * ow;
                java.util.Arrays.fill(gi, d, d + h * w, 0f);
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        float wv = wd[wo + (ch * kh + i) * kw + j];
                        int shiftX = j * p.dilationW() - p.padW();
                        int x0 = firstOut(shiftX, p.strideW());
                        int x1 = endOut(shiftX, p.strideW(), w, ow);
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * p.strideH() - p.padH() + i * p.dilationH();
                            if (iy >= 0 && iy < h) {
                                scatter(gi, d + iy * w + shiftX, p.strideW(), go, s + oy * ow, x0, x1, wv);
                            }
                        }
                    }
                }
            }
        });
    }

    /** gi[k·stride] += a · g[k] for k in [from, to). */
    private static void scatter(float[] gi, int pi, int stride, float[] g, int pg, int from, int to, float a) {
        int k = from;
        if (stride == 1) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; k <= to - L; k += L) {
                FloatVector.fromArray(S, g, pg + k).fma(av, FloatVector.fromArray(S, gi, pi + k)).intoArray(gi, pi + k);
            }
        }
        for (; k < to; k++) {
            gi[pi + k * stride] = Math.fma(g[pg + k], a, gi[pi + k * stride]);
        }
    }

    /** gradWeight: for each channel and tap, the sum over samples and positions of output gradient times the input the tap read. */
    static void backwardWeight(Tensor gradWeight, Tensor gradOut, Tensor x, Conv2dParams p) {
        DepthwisePlanes planes = new DepthwisePlanes(x.size(2), x.size(3), gradOut.size(2), gradOut.size(3), p.kernelH(), p.kernelW(),
                p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW());
        planes.weightGradient(Elementwise.f(gradWeight), gradWeight.offset(), Elementwise.f(gradOut), gradOut.offset(), Elementwise.f(x),
                x.offset(), x.size(0), x.size(1));
    }
}
