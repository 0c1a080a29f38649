package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.ReduceOp;

/**
 * {@code torch.nn.functional.conv_transpose2d}, the gradient of a convolution with respect to its
 * input used as a layer (upsampling in decoders and generators). It needs no kernel of its own:
 * the forward pass is the backend's {@code conv2dBackwardInput} with the input as the output
 * gradient, the input's gradient is a plain {@code conv2d}, and the weight's is
 * {@code conv2dBackwardWeight} with the roles of input and output gradient exchanged.
 */
public final class TransposedConvolution {
    private TransposedConvolution() {
    }

    /**
     * input (N, Cin, H, W) or unbatched (Cin, H, W), weight (Cin, Cout / groups, kH, kW), optional
     * bias (Cout); stride, padding, dilation and groups from o (zero padding only), and
     * outputPadding rows and columns added at the bottom and right of the output, which is
     * ((H - 1) s - 2 p + d (kH - 1) + outputPadding + 1) high.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, ConvOptions o, int outputPaddingH, int outputPaddingW) {
        if (input.dim() == 3) {
            return convTranspose2d(input.unsqueeze(0), weight, bias, o, outputPaddingH, outputPaddingW).squeeze(0);
        }
        check(input, weight, bias, o, outputPaddingH, outputPaddingW);
        int kh = weight.size(2);
        int kw = weight.size(3);
        Conv2dParams p = new Conv2dParams(kh, kw, o.strideH(), o.strideW(), o.padH(), o.padW(), o.dilationH(), o.dilationW(), o.groups());
        int oh = (input.size(2) - 1) * o.strideH() - 2 * o.padH() + o.dilationH() * (kh - 1) + outputPaddingH + 1;
        int ow = (input.size(3) - 1) * o.strideW() - 2 * o.padW() + o.dilationW() * (kw - 1) + outputPaddingW + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Shapes.str(input.shape()) + " with weight " + Shapes.str(weight.shape())
                    + " and padding (" + o.padH() + ", " + o.padW() + ") gives an output of (" + oh + ", " + ow + "), which must be positive");
        }
        // With an output padding of at least the stride (allowed below the dilation), the
        // convolution over the output has more rows or columns than the input: zero ones are
        // appended, which add nothing, and the pad's gradient drops them again.
        int extraH = p.outH(oh) - input.size(2);
        int extraW = p.outW(ow) - input.size(3);
        Tensor source = extraH > 0 || extraW > 0 ? input.pad(0, extraW, 0, extraH) : input;
        Tensor x = source.contiguous();
        Tensor w = weight.contiguous();
        Backend be = Kernels.backend(x);
        int outChannels = w.size(1) * o.groups();
        Tensor out = Kernels.empty(new int[] {x.size(0), outChannels, oh, ow}, DType.FLOAT32, x.device());
        if (out.numel() > 0) {
            if (x.numel() == 0 || w.numel() == 0) {
                be.fill(out, 0);
            } else {
                be.conv2dBackwardInput(out, x, w, p);
            }
            if (bias != null) {
                be.copy(out, out.add(bias.detach().view(1, outChannels, 1, 1)));
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {source, weight} : new Tensor[] {source, weight, bias};
        Tensor[] saved = Autograd.saved(source.requiresGrad ? w : null, weight.requiresGrad ? x : null);
        return Autograd.record(out, "ConvolutionBackward0", saved, (g, needs) -> {
            if (dev.cortado.autograd.GradMode.isEnabled() && g.numel() > 0 && x.numel() > 0 && w.numel() > 0) {
                // A pass that records its gradients' graph (createGraph): the same gradients as recorded ops.
                Tensor[] grads = new Tensor[inputs.length];
                grads[0] = needs[0] ? Convolution.conv2d(g, w, null, ConvolutionGradients.options(p)) : null;
                // The weight gradient of the convolution that maps g back to x's shape.
                grads[1] = needs[1] ? ConvolutionGradients.weight(x, g, p) : null;
                if (bias != null && needs[2]) {
                    grads[2] = g.sum(new int[] {0, 2, 3}, false);
                }
                return grads;
            }
            Tensor go = g.contiguous();
            Tensor gx = null;
            Tensor gw = null;
            if (needs[0]) {
                // The convolution whose input gradient the forward pass was: it maps the output back to x's shape.
                gx = Kernels.emptyLike(x, DType.FLOAT32);
                if (go.numel() == 0 || w.numel() == 0) {
                    be.fill(gx, 0);
                } else if (gx.numel() > 0) {
                    be.conv2d(gx, go, w, p);
                }
            }
            if (needs[1]) {
                gw = Kernels.emptyLike(w, DType.FLOAT32);
                if (go.numel() == 0 || x.numel() == 0) {
                    be.fill(gw, 0);
                } else if (gw.numel() > 0) {
                    // That convolution's weight gradient, with go as its input and x as its output gradient.
                    be.conv2dBackwardWeight(gw, x, go, p);
                }
            }
            Tensor gb = null;
            if (bias != null && needs[2]) {
                gb = Kernels.empty(new int[] {1, outChannels, 1, 1}, DType.FLOAT32, go.device());
                if (go.numel() == 0) {
                    be.fill(gb, 0);
                } else {
                    be.reduce(ReduceOp.SUM, gb, go, new int[] {0, 2, 3});
                }
                gb = gb.view(outChannels);
            }
            return bias == null ? new Tensor[] {gx, gw} : new Tensor[] {gx, gw, gb};
        }, inputs);
    }

    /**
     * {@code F.conv_transpose1d}: input (N, Cin, L) or unbatched (Cin, L), weight (Cin, Cout / groups, k),
     * optional bias (Cout), one stride, padding and dilation from o (as {@link Convolution#conv1d}
     * reads them) and outputPadding columns at the end: the output is
     * ((L - 1) s - 2 p + d (k - 1) + outputPadding + 1) long.
     */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, ConvOptions o, int outputPadding) {
        if (input.dim() == 2) {
            return convTranspose1d(input.unsqueeze(0), weight, bias, o, outputPadding).squeeze(0);
        }
        String op = "conv_transpose1d";
        check(op, input, weight, bias, o, outputPadding, outputPadding, 1);
        int length = (input.size(2) - 1) * o.strideW() - 2 * o.padW() + o.dilationW() * (weight.size(2) - 1) + outputPadding + 1;
        if (length <= 0) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " with weight " + Shapes.str(weight.shape())
                    + " and padding " + o.padW() + " gives an output of length " + length + ", which must be positive");
        }
        ConvOptions flat = new ConvOptions(1, o.strideW(), 0, o.padW(), false, 1, o.dilationW(), o.groups(), o.paddingMode());
        return convTranspose2d(input.unsqueeze(2), weight.unsqueeze(2), bias, flat, 0, outputPadding).squeeze(2);
    }

    private static void check(Tensor x, Tensor w, Tensor b, ConvOptions o, int outputPaddingH, int outputPaddingW) {
        check("conv_transpose2d", x, w, b, o, outputPaddingH, outputPaddingW, 2);
    }

    /** The rules of a transposed convolution with {@code spatial} (1 or 2) spatial dims, its input already batched. */
    private static void check(String op, Tensor x, Tensor w, Tensor b, ConvOptions o, int outputPaddingH, int outputPaddingW, int spatial) {
        if (b == null) {
            Kernels.sameDevice(op, x, w);
        } else {
            Kernels.sameDevice(op, x, w, b);
        }
        if (x.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": expected " + Convolution.inputForms(spatial) + " input, got " + Shapes.str(x.shape()));
        }
        if (w.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (spatial + 2) + "-d weight (in_channels, out_channels / groups, "
                    + (spatial == 1 ? "k" : "kH, kW") + "), got " + Shapes.str(w.shape()));
        }
        if (x.dtype() != DType.FLOAT32 || w.dtype() != DType.FLOAT32 || b != null && b.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": input, weight and bias must be float32, got " + x.dtype() + " and " + w.dtype());
        }
        if (o.same() || o.paddingMode() != PadMode.CONSTANT) {
            throw new IllegalArgumentException(op + ": only explicit zero padding is supported (not \"same\" or a padding mode), as in PyTorch");
        }
        if (spatial == 1) {
            Convolution.oneValued(op, o.strideH(), o.strideW(), o.padH(), o.padW(), o.dilationH(), o.dilationW());
        }
        if (o.strideH() < 1 || o.strideW() < 1 || o.dilationH() < 1 || o.dilationW() < 1 || o.padH() < 0 || o.padW() < 0) {
            throw new IllegalArgumentException(op + ": stride and dilation must be positive and padding non-negative, got stride "
                    + Convolution.values(spatial, o.strideH(), o.strideW()) + ", padding " + Convolution.values(spatial, o.padH(), o.padW())
                    + ", dilation " + Convolution.values(spatial, o.dilationH(), o.dilationW()));
        }
        if (outputPaddingH < 0 || outputPaddingW < 0
                || outputPaddingH >= o.strideH() && outputPaddingH >= o.dilationH()
                || outputPaddingW >= o.strideW() && outputPaddingW >= o.dilationW()) {
            throw new IllegalArgumentException(op + ": output padding must be non-negative and smaller than either stride or dilation, got "
                    + "output padding " + Convolution.values(spatial, outputPaddingH, outputPaddingW) + ", stride "
                    + Convolution.values(spatial, o.strideH(), o.strideW()) + ", dilation " + Convolution.values(spatial, o.dilationH(), o.dilationW()));
        }
        int g = o.groups();
        if (g < 1 || x.size(1) % g != 0) {
            throw new IllegalArgumentException(op + ": groups " + g + " must be positive and divide the input channels " + x.size(1));
        }
        if (x.size(1) != w.size(0)) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " has " + x.size(1) + " channels, weight "
                    + Shapes.str(w.shape()) + " expects " + w.size(0) + " (its first dim)");
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(1) * g)) {
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(b.shape()) + " must have shape (" + w.size(1) * g
                    + "), one value per output channel");
        }
    }
}
