package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Conv2dParams;
import dev.cortado.backend.ReduceOp;

/** 2-d convolution with autograd: shape rules and padding in core, the sums in the backend. */
public final class Convolution {
    private Convolution() {
    }

    /**
     * {@code torch.nn.functional.conv2d}: input (N, Cin, H, W) or unbatched (Cin, H, W), weight
     * (Cout, Cin / groups, kH, kW), optional bias (Cout).
     * <pre>{@code Tensor y = Convolution.conv2d(x, w, b, ConvOptions.DEFAULT.padding(1));}</pre>
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, ConvOptions o) {
        if (input.dim() == 3) {
            return conv2d(input.unsqueeze(0), weight, bias, o).squeeze(0);
        }
        check(input, weight, bias, o);
        Tensor x = input;
        int kh = weight.size(2);
        int kw = weight.size(3);
        int padH = o.padH();
        int padW = o.padW();
        if (o.same()) {
            int[] total = SamePadding.totals(new int[] {kh, kw}, new int[] {o.dilationH(), o.dilationW()});
            if (o.paddingMode() != PadMode.CONSTANT) {
                // In one step: a reflection of a padded border would reflect the padding itself.
                x = x.pad(SamePadding.padArgument(total), o.paddingMode(), 0);
            } else {
                // Zeros inside the convolution, and the odd row or column (bottom, right) added first.
                padH = total[0] / 2;
                padW = total[1] / 2;
                if (total[0] % 2 != 0 || total[1] % 2 != 0) {
                    x = x.pad(new int[] {0, total[1] % 2, 0, total[0] % 2}, PadMode.CONSTANT, 0);
                }
            }
        }
        if (o.paddingMode() != PadMode.CONSTANT && (padH > 0 || padW > 0)) {
            x = x.pad(new int[] {padW, padW, padH, padH}, o.paddingMode(), 0);
            padH = 0;
            padW = 0;
        }
        Conv2dParams p = new Conv2dParams(kh, kw, o.strideH(), o.strideW(), padH, padW, o.dilationH(), o.dilationW(), o.groups());
        int oh = p.outH(x.size(2));
        int ow = p.outW(x.size(3));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(input.shape()) + " padded to ("
                    + (x.size(2) + 2 * padH) + ", " + (x.size(3) + 2 * padW) + ") is smaller than the dilated kernel ("
                    + (o.dilationH() * (kh - 1) + 1) + ", " + (o.dilationW() * (kw - 1) + 1) + ")");
        }
        return raw(x, weight, bias, p, oh, ow);
    }

    private static Tensor raw(Tensor input, Tensor weight, Tensor bias, Conv2dParams p, int oh, int ow) {
        Tensor x = input.contiguous();
        Tensor w = weight.contiguous();
        Backend be = Kernels.backend(x);
        Tensor out = Kernels.empty(new int[] {x.size(0), w.size(0), oh, ow}, DType.FLOAT32, x.device());
        Tensor expandedBias = bias == null ? null : bias.detach().view(1, bias.numel(), 1, 1).expand(out.shape());
        // Empty tensors never reach the kernels: an input without elements (no channels, or an
        // empty image that padding alone covers) gives the bias everywhere, as PyTorch does.
        if (out.numel() > 0 && x.numel() == 0) {
            if (bias == null) {
                be.fill(out, 0);
            } else {
                be.copy(out, expandedBias);
            }
        } else if (out.numel() > 0) {
            if (bias == null) {
                be.conv2d(out, x, w, p);
            } else {
                be.conv2d(out, x, w, expandedBias, p);
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        // The input is read for the weight's gradient, the weight for the input's.
        Tensor[] saved = Autograd.saved(input.requiresGrad ? w : null, weight.requiresGrad ? x : null);
        return Autograd.record(out, "ConvolutionBackward0", saved, (g, needs) -> {
            if (dev.cortado.autograd.GradMode.isEnabled() && g.numel() > 0 && x.numel() > 0 && w.numel() > 0) {
                // A pass that records its gradients' graph (createGraph): the same gradients as recorded ops.
                Tensor[] grads = new Tensor[inputs.length];
                grads[0] = needs[0] ? ConvolutionGradients.input(g, w, p, x.size(2), x.size(3)) : null;
                grads[1] = needs[1] ? ConvolutionGradients.weight(g, x, p) : null;
                if (bias != null && needs[2]) {
                    grads[2] = g.sum(new int[] {0, 2, 3}, false);
                }
                return grads;
            }
            Tensor go = g.contiguous();
            Tensor gx = null;
            Tensor gw = null;
            if (needs[0]) {
                gx = Kernels.emptyLike(x, DType.FLOAT32);
                if (go.numel() == 0) {
                    be.fill(gx, 0);
                } else if (gx.numel() > 0) {
                    be.conv2dBackwardInput(gx, go, w, p);
                }
            }
            boolean biasGrad = bias != null && needs[2];
            // The bias gradient sums over batch and pixels, as the broadcast add's would.
            Tensor gb = biasGrad ? Kernels.empty(new int[] {1, w.size(0), 1, 1}, DType.FLOAT32, go.device()) : null;
            // Without a product to sum (an empty batch, input or output), the weight gradient is zero.
            boolean products = needs[1] && go.numel() > 0 && x.numel() > 0 && w.numel() > 0;
            if (needs[1]) {
                gw = Kernels.emptyLike(w, DType.FLOAT32);
                if (!products) {
                    be.fill(gw, 0);
                }
            }
            if (products && biasGrad) {
                be.conv2dBackwardWeightAndBias(gw, gb, go, x, p);
            } else if (products) {
                be.conv2dBackwardWeight(gw, go, x, p);
            } else if (biasGrad && gb.numel() > 0) {
                be.reduce(ReduceOp.SUM, gb, go, new int[] {0, 2, 3});
            }
            if (bias == null) {
                return new Tensor[] {gx, gw};
            }
            return new Tensor[] {gx, gw, biasGrad ? gb.view(w.size(0)) : null};
        }, inputs);
    }

    /**
     * {@code torch.nn.functional.conv1d}: input (N, Cin, L) or unbatched (Cin, L), weight
     * (Cout, Cin / groups, k), optional bias (Cout). A 1-d convolution takes one stride, padding
     * and dilation: the options' single-value forms ({@code stride(2)}, {@code padding(1)}, or
     * {@code padding("same")}) give it; a pair of different values is refused. It is the 2-d
     * convolution of (N, Cin, 1, L) by a (Cout, Cin / groups, 1, k) kernel, as PyTorch computes it.
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, ConvOptions o) {
        if (input.dim() == 2) {
            return conv1d(input.unsqueeze(0), weight, bias, o).squeeze(0);
        }
        String op = "conv1d";
        check(op, input, weight, bias, o, 1);
        int padded = input.size(2) + (o.same() ? 0 : 2 * o.padW());
        int span = o.dilationW() * (weight.size(2) - 1) + 1;
        if (padded < span) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " padded to length " + padded
                    + " is shorter than the dilated kernel (" + span + ")");
        }
        ConvOptions flat = new ConvOptions(1, o.strideW(), 0, o.padW(), o.same(), 1, o.dilationW(), o.groups(), o.paddingMode());
        return conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, flat).squeeze(2);
    }

    private static void check(Tensor x, Tensor w, Tensor b, ConvOptions o) {
        check("conv2d", x, w, b, o, 2);
    }

    /** The rules of a convolution with {@code spatial} (1 or 2) spatial dims, its input already batched. */
    static void check(String op, Tensor x, Tensor w, Tensor b, ConvOptions o, int spatial) {
        if (b == null) {
            Kernels.sameDevice(op, x, w);
        } else {
            Kernels.sameDevice(op, x, w, b);
        }
        if (x.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": expected " + inputForms(spatial) + " input, got " + Shapes.str(x.shape()));
        }
        if (w.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (spatial + 2) + "-d weight (out_channels, in_channels / groups, "
                    + (spatial == 1 ? "k" : "kH, kW") + "), got " + Shapes.str(w.shape()));
        }
        if (x.dtype() != DType.FLOAT32 || w.dtype() != DType.FLOAT32 || b != null && b.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": input, weight and bias must be float32, got " + x.dtype() + " and " + w.dtype());
        }
        if (spatial == 1) {
            oneValued(op, o.strideH(), o.strideW(), o.padH(), o.padW(), o.dilationH(), o.dilationW());
        }
        if (o.strideH() < 1 || o.strideW() < 1 || o.dilationH() < 1 || o.dilationW() < 1 || o.padH() < 0 || o.padW() < 0) {
            throw new IllegalArgumentException(op + ": stride and dilation must be positive and padding non-negative, got stride "
                    + values(spatial, o.strideH(), o.strideW()) + ", padding " + values(spatial, o.padH(), o.padW()) + ", dilation "
                    + values(spatial, o.dilationH(), o.dilationW()));
        }
        checkChannels(op, x, w, b, o.groups());
        if (o.same() && (o.strideH() != 1 || o.strideW() != 1)) {
            throw new IllegalArgumentException(op + ": padding=\"same\" is not supported for strided convolutions (stride "
                    + values(spatial, o.strideH(), o.strideW()) + ")");
        }
    }

    /**
     * The channel rules every convolution shares: groups divide both channel counts, the weight's
     * input channels times groups are the input's, and one bias per output channel.
     */
    static void checkChannels(String op, Tensor x, Tensor w, Tensor b, int g) {
        if (g < 1 || x.size(1) % g != 0 || w.size(0) % g != 0) {
            throw new IllegalArgumentException(op + ": groups " + g + " must be positive and divide both the input channels "
                    + x.size(1) + " and the output channels " + w.size(0));
        }
        if (x.size(1) != w.size(1) * g) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " has " + x.size(1) + " channels, weight "
                    + Shapes.str(w.shape()) + " with groups=" + g + " expects " + w.size(1) * g);
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException(op + ": bias " + Shapes.str(b.shape()) + " must have shape (" + w.size(0)
                    + "), one value per output channel of weight " + Shapes.str(w.shape()));
        }
    }

    /** The input ranks an op with {@code spatial} spatial dims takes, unbatched or batched. */
    static String inputForms(int spatial) {
        return spatial == 1 ? "a 2-d (C, L) or 3-d (N, C, L)" : "a 3-d (C, H, W) or 4-d (N, C, H, W)";
    }

    /** A setting as PyTorch prints it: {@code 2} for 1-d ops, {@code (2, 2)} for 2-d ones. */
    static String values(int spatial, int h, int w) {
        return spatial == 1 ? String.valueOf(w) : "(" + h + ", " + w + ")";
    }

    /**
     * A 1-d op reads the width's settings of 2-d options; the single-value forms set height and
     * width alike, and a pair of different values has no 1-d meaning.
     */
    static void oneValued(String op, int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {
        if (strideH != strideW || padH != padW || dilationH != dilationW) {
            throw new IllegalArgumentException(op + ": a 1-d op takes one stride, padding and dilation, got the pairs stride ("
                    + strideH + ", " + strideW + "), padding (" + padH + ", " + padW + "), dilation (" + dilationH + ", " + dilationW + ")");
        }
    }
}
