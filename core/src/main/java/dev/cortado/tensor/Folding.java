package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

import java.util.Arrays;

/**
 * PyTorch's {@code F.unfold} (im2col) and {@code F.fold} (col2im) for 2-D images: unfold lays
 * every sliding block of a (N, C, H, W) batch out as a column of C·kh·kw values, giving (N,
 * C·kh·kw, L) with L blocks, so that a convolution is a matrix product with the flattened
 * weight; fold sums such columns back into an image, overlapping blocks adding up. Each is the
 * other's gradient. Unbatched (C, H, W) and (C·kh·kw, L) inputs work too.
 */
public final class Folding {
    private Folding() {
    }

    /** {@code F.unfold(x, kernel_size)} with dilation 1, padding 0 and stride 1. */
    public static Tensor unfold(Tensor x, int kernel) {
        return unfold(x, new int[] {kernel, kernel}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
    }

    /** {@code F.unfold}: each (height, width) pair is one parameter. */
    public static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        Geometry g = Geometry.of("unfold", kernel, dilation, padding, stride);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("unfold: input must be a 3-D (C, H, W) or 4-D (N, C, H, W) tensor, got shape " + Shapes.str(x.shape));
        }
        if (x.dim() == 3) {
            return unfold(x.unsqueeze(0), kernel, dilation, padding, stride).squeeze(0);
        }
        int oh = g.blocks(0, x.shape[2]);
        int ow = g.blocks(1, x.shape[3]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("unfold: given input with spatial size (" + x.shape[2] + ", " + x.shape[3] + "), " + g
                    + ", the array of sliding blocks would be (" + oh + ", " + ow + "), but its components must be at least one");
        }
        int n = x.shape[0];
        int c = x.shape[1];
        Tensor padded = g.padding[0] == 0 && g.padding[1] == 0 ? x : x.pad(g.padding[1], g.padding[1], g.padding[0], g.padding[0]);
        // Windows of the dilated extent, then every dilation-th element of each: (N, C, oh, ow, kh, kw).
        Tensor blocks = padded.unfold(2, g.extent(0), g.stride[0]).unfold(3, g.extent(1), g.stride[1])
                .slice(4, 0, g.extent(0), g.dilation[0]).slice(5, 0, g.extent(1), g.dilation[1]);
        return blocks.permute(0, 1, 4, 5, 2, 3).reshape(n, c * g.kernel[0] * g.kernel[1], oh * ow);
    }

    /** {@code F.fold(x, output_size, kernel_size)} with dilation 1, padding 0 and stride 1. */
    public static Tensor fold(Tensor x, int[] outputSize, int kernel) {
        return fold(x, outputSize, new int[] {kernel, kernel}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
    }

    /** {@code F.fold}: sums the columns of x, (N, C·kh·kw, L), into (N, C, H, W) with (H, W) = outputSize. */
    public static Tensor fold(Tensor x, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        Geometry g = Geometry.of("fold", kernel, dilation, padding, stride);
        if (outputSize == null || outputSize.length != 2 || outputSize[0] < 1 || outputSize[1] < 1) {
            throw new IllegalArgumentException("fold: outputSize must be two positive sizes (H, W), got " + Arrays.toString(outputSize));
        }
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException("fold: input must be a 2-D (C*kh*kw, L) or 3-D (N, C*kh*kw, L) tensor, got shape " + Shapes.str(x.shape));
        }
        if (x.dim() == 2) {
            return fold(x.unsqueeze(0), outputSize, kernel, dilation, padding, stride).squeeze(0);
        }
        int k = g.kernel[0] * g.kernel[1];
        if (x.shape[1] % k != 0) {
            throw new IllegalArgumentException("fold: size " + x.shape[1] + " of the input's dimension 1 must be divisible by the product of the "
                    + "kernel size " + g.kernel[0] + " * " + g.kernel[1] + " (input shape " + Shapes.str(x.shape) + ")");
        }
        int oh = g.blocks(0, outputSize[0]);
        int ow = g.blocks(1, outputSize[1]);
        if (oh < 1 || ow < 1 || x.shape[2] != oh * ow) {
            throw new IllegalArgumentException("fold: given outputSize (" + outputSize[0] + ", " + outputSize[1] + "), " + g
                    + ", the input's dimension 2 must hold the " + Math.max(oh, 0) + " * " + Math.max(ow, 0)
                    + " sliding blocks, but it has size " + x.shape[2]);
        }
        int n = x.shape[0];
        int c = x.shape[1] / k;
        int hp = outputSize[0] + 2 * g.padding[0];
        int wp = outputSize[1] + 2 * g.padding[1];
        Tensor image;
        try (var off = GradMode.off()) {
            Tensor sum = Creation.full(new int[] {n, c, hp, wp}, 0, x.dtype(), x.device());
            Tensor columns = x.reshape(n, c, g.kernel[0], g.kernel[1], oh, ow);
            int[] strides = sum.strides();
            for (int i = 0; i < g.kernel[0]; i++) {
                for (int j = 0; j < g.kernel[1]; j++) {
                    // Kernel element (i, j) of block (r, q) lands on row i·dh + r·sh, column j·dw + q·sw:
                    // distinct for distinct blocks, so one strided window of the sum takes all of them.
                    Tensor window = Kernels.view(sum, new int[] {n, c, oh, ow},
                            new int[] {strides[0], strides[1], strides[2] * g.stride[0], strides[3] * g.stride[1]},
                            i * g.dilation[0] * strides[2] + j * g.dilation[1] * strides[3]);
                    Kernels.backend(sum).copy(window, window.add(columns.select(2, i).select(2, j)));
                }
            }
            image = g.padding[0] == 0 && g.padding[1] == 0 ? sum
                    : sum.narrow(2, g.padding[0], outputSize[0]).narrow(3, g.padding[1], outputSize[1]).contiguous();
        }
        return Autograd.record(image, "Col2ImBackward0",
                (grad, needs) -> new Tensor[] {unfold(grad, kernel, dilation, padding, stride)}, x);
    }

    /** The four parameters, checked, with the block counts they give. */
    private record Geometry(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        static Geometry of(String op, int[] kernel, int[] dilation, int[] padding, int[] stride) {
            check(op, "kernel size", kernel, 1);
            check(op, "dilation", dilation, 1);
            check(op, "padding", padding, 0);
            check(op, "stride", stride, 1);
            return new Geometry(kernel.clone(), dilation.clone(), padding.clone(), stride.clone());
        }

        private static void check(String op, String what, int[] v, int min) {
            if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
                throw new IllegalArgumentException(op + ": " + what + " must be two values (height, width) of at least " + min + ", got "
                        + Arrays.toString(v));
            }
        }

        int extent(int axis) {
            return (kernel[axis] - 1) * dilation[axis] + 1;
        }

        int blocks(int axis, int size) {
            int span = size + 2 * padding[axis] - extent(axis);
            return span < 0 ? 0 : span / stride[axis] + 1;
        }

        @Override
        public String toString() {
            return "kernel size " + Arrays.toString(kernel) + ", dilation " + Arrays.toString(dilation) + ", padding "
                    + Arrays.toString(padding) + ", stride " + Arrays.toString(stride);
        }
    }
}
