package dev.cortado.tensor;

import dev.cortado.backend.Backend;
import dev.cortado.backend.Pool2dParams;

/** Max, average and adaptive average 2-d pooling with autograd, on (N, C, H, W) or (C, H, W) inputs. */
public final class Pooling {
    private Pooling() {
    }

    /** {@code F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode)}. */
    public static Tensor maxPool2d(Tensor x, PoolOptions o) {
        return maxPool2dWithIndices(x, o).values();
    }

    /** Max pooling that also returns, per output, the index {@code h * W + w} of its maximum within the input plane. */
    public static ValuesIndices maxPool2dWithIndices(Tensor input, PoolOptions o) {
        if (input.dim() == 3) {
            ValuesIndices r = maxPool2dWithIndices(input.unsqueeze(0), o);
            return new ValuesIndices(r.values().squeeze(0), r.indices().squeeze(0));
        }
        Pool2dParams p = params("max_pool2d", input, o, true);
        Tensor x = input.contiguous();
        Backend be = Kernels.backend(x);
        int[] shape = {x.size(0), x.size(1), p.outH(x.size(2)), p.outW(x.size(3))};
        Tensor out = Kernels.empty(shape, DType.FLOAT32, x.device());
        Tensor idx = Kernels.empty(shape, DType.INT64, x.device());
        be.maxPool2d(out, idx, x, p);
        if (Autograd.needed(input)) {
            Autograd.attach(out, new MaxPoolNode(input, x, out, idx, p, Autograd.edges(input)));
        }
        return new ValuesIndices(out, idx);
    }

    /** {@code F.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad)}. */
    public static Tensor avgPool2d(Tensor input, PoolOptions o) {
        if (input.dim() == 3) {
            return avgPool2d(input.unsqueeze(0), o).squeeze(0);
        }
        Pool2dParams p = params("avg_pool2d", input, o, false);
        Tensor x = input.contiguous();
        Backend be = Kernels.backend(x);
        int[] shape = {x.size(0), x.size(1), p.outH(x.size(2)), p.outW(x.size(3))};
        Tensor out = Kernels.empty(shape, DType.FLOAT32, x.device());
        be.avgPool2d(out, x, p);
        return Autograd.record(out, "AvgPool2DBackward0", (g, needs) -> {
            Tensor gx = Kernels.emptyLike(x, DType.FLOAT32);
            be.avgPool2dBackward(gx, g.contiguous(), p);
            // Linear in g, with the pooling itself as its adjoint: recorded in a createGraph pass.
            return new Tensor[] {Autograd.record(gx, "AvgPool2DBackwardBackward0", (gg, n) -> new Tensor[] {avgPool2d(gg, o)}, g)};
        }, input);
    }

    /**
     * {@code F.adaptive_avg_pool2d(x, (outH, outW))}: output cell i averages input rows
     * {@code floor(i H / outH)} to {@code ceil((i + 1) H / outH)}, and likewise for columns.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got "
                    + Shapes.str(x.shape()));
        }
        int h = x.size(x.dim() - 2);
        int w = x.size(x.dim() - 1);
        if (outH < 1 || outW < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output size (" + outH + ", " + outW
                    + ") must be positive and the input " + Shapes.str(x.shape()) + " non-empty");
        }
        if (outH == 1 && outW == 1) {
            return x.mean(new int[] {x.dim() - 2, x.dim() - 1}, true);
        }
        if (h % outH == 0 && w % outW == 0) {
            return avgPool2d(x, PoolOptions.of(h / outH, w / outW));
        }
        // Uneven windows: out = Ph · x · Pwᵀ with averaging matrices, differentiable through matmul.
        Tensor ph = averaging(outH, h, x.device());
        Tensor pw = averaging(outW, w, x.device());
        return ph.matmul(x.matmul(pw.t()));
    }

    /**
     * {@code F.adaptive_max_pool2d(x, (outH, outW))}: output cell i takes the maximum of input rows
     * {@code floor(i H / outH)} to {@code ceil((i + 1) H / outH)}, and likewise for columns; each
     * window is a max pool of its own, so ties and NaN pick the element PyTorch's pool picks.
     */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        if (x.dim() == 3) {
            return adaptiveMaxPool2d(x.unsqueeze(0), outH, outW).squeeze(0);
        }
        if (x.dim() != 4) {
            throw new IllegalArgumentException("adaptive_max_pool2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got "
                    + Shapes.str(x.shape()));
        }
        int h = x.size(2);
        int w = x.size(3);
        if (outH < 1 || outW < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("adaptive_max_pool2d: output size (" + outH + ", " + outW
                    + ") must be positive and the input " + Shapes.str(x.shape()) + " non-empty");
        }
        if (h % outH == 0 && w % outW == 0) {
            return maxPool2d(x, PoolOptions.of(h / outH, w / outW));
        }
        java.util.List<Tensor> rows = new java.util.ArrayList<>();
        for (int i = 0; i < outH; i++) {
            int top = (int) ((long) i * h / outH);
            int bottom = (int) (((long) (i + 1) * h + outH - 1) / outH);
            java.util.List<Tensor> cells = new java.util.ArrayList<>();
            for (int j = 0; j < outW; j++) {
                int left = (int) ((long) j * w / outW);
                int right = (int) (((long) (j + 1) * w + outW - 1) / outW);
                Tensor window = x.narrow(2, top, bottom - top).narrow(3, left, right - left);
                cells.add(maxPool2d(window, PoolOptions.of(bottom - top, right - left)));
            }
            rows.add(Tensor.cat(cells, 3));
        }
        return Tensor.cat(rows, 2);
    }

    private static Tensor averaging(int out, int in, Device device) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out);
            int end = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int j = start; j < end; j++) {
                m[i * in + j] = 1f / (end - start);
            }
        }
        return Tensor.fromArray(m, new int[] {out, in}, device);
    }

    private static Pool2dParams params(String op, Tensor x, PoolOptions o, boolean max) {
        return params(op, x, o, max, 2);
    }

    /**
     * The rules of a max ({@code max}) or average pool with {@code spatial} (1 or 2) spatial
     * dims, its input already batched; a 1-d pool reads the width's settings.
     */
    static Pool2dParams params(String op, Tensor x, PoolOptions o, boolean max, int spatial) {
        if (x.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": expected " + Convolution.inputForms(spatial) + " input, got " + Shapes.str(x.shape()));
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 input, got " + x.dtype());
        }
        if (spatial == 1) {
            if (o.kernelH() != o.kernelW()) {
                throw new IllegalArgumentException(op + ": a 1-d op takes one kernel size, got the pair (" + o.kernelH() + ", " + o.kernelW() + ")");
            }
            Convolution.oneValued(op, o.strideH(), o.strideW(), o.padH(), o.padW(), o.dilationH(), o.dilationW());
        }
        if (o.kernelH() < 1 || o.kernelW() < 1 || o.strideH() < 1 || o.strideW() < 1 || o.dilationH() < 1 || o.dilationW() < 1) {
            throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive, got kernel "
                    + Convolution.values(spatial, o.kernelH(), o.kernelW()) + ", stride " + Convolution.values(spatial, o.strideH(), o.strideW())
                    + ", dilation " + Convolution.values(spatial, o.dilationH(), o.dilationW()));
        }
        if (!max && (o.dilationH() != 1 || o.dilationW() != 1)) {
            throw new IllegalArgumentException(op + ": average pooling has no dilation, got " + Convolution.values(spatial, o.dilationH(), o.dilationW()));
        }
        // PyTorch's rule, by the kernel size itself even where a dilation spreads it wider.
        if (o.padH() < 0 || o.padW() < 0 || o.padH() > o.kernelH() / 2 || o.padW() > o.kernelW() / 2) {
            throw new IllegalArgumentException(op + ": padding " + Convolution.values(spatial, o.padH(), o.padW())
                    + " must be non-negative and at most half of the kernel size " + Convolution.values(spatial, o.kernelH(), o.kernelW()));
        }
        int effH = max ? o.dilationH() * (o.kernelH() - 1) + 1 : o.kernelH();
        int effW = max ? o.dilationW() * (o.kernelW() - 1) + 1 : o.kernelW();
        // A 1-d pool is the 2-d pool of (N, C, 1, L) by a (1, k) window.
        Pool2dParams p = spatial == 1
                ? new Pool2dParams(1, o.kernelW(), 1, o.strideW(), 0, o.padW(), 1, o.dilationW(), o.ceilMode(), o.countIncludePad())
                : new Pool2dParams(o.kernelH(), o.kernelW(), o.strideH(), o.strideW(), o.padH(), o.padW(),
                        o.dilationH(), o.dilationW(), o.ceilMode(), o.countIncludePad());
        if ((spatial == 2 && p.outH(x.size(2)) < 1) || p.outW(x.size(x.dim() - 1)) < 1) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " with padding " + Convolution.values(spatial, o.padH(), o.padW())
                    + " is smaller than the kernel " + Convolution.values(spatial, effH, effW) + "; the output would be empty");
        }
        return p;
    }
}
