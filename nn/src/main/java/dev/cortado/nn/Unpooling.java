package dev.cortado.nn;

import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.CustomFunction;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code F.max_unpool1d/2d/3d}: each input value written at its index in a zero output plane, the
 * partial inverse of max pooling with indices. Indices are read on the host, to check each against
 * the plane and to settle which of several values written to one place stays: the last in the
 * input's order, as PyTorch's CPU loop does (overlapping pooling windows repeat indices).
 */
final class Unpooling {
    private Unpooling() {
    }

    /** The unpooled tensor: x's leading dims, then the output size of its last {@code kernel.length} dims. */
    static Tensor maxUnpool(int k, Tensor x, Tensor indices, int[] kernel, int[] stride, int[] padding, int[] outputSize) {
        String op = "max_unpool" + k + "d";
        checkSettings(op, k, kernel, stride, padding);
        if (x.dim() != k + 1 && x.dim() != k + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (k + 1) + "-d (unbatched) or " + (k + 2) + "-d (batched) input, got "
                    + Shapes.str(x.shape()));
        }
        if (indices.dtype() != DType.INT64 || !Arrays.equals(indices.shape(), x.shape())) {
            throw new IllegalArgumentException(op + ": indices must be int64 of the input's shape " + Shapes.str(x.shape()) + ", got "
                    + indices.dtype() + " " + Shapes.str(indices.shape()));
        }
        int[] out = outputSize(op, x, kernel, stride, padding, outputSize);
        int lead = x.dim() - k;
        int[] outShape = Arrays.copyOf(x.shape(), x.dim());
        System.arraycopy(out, 0, outShape, lead, k);
        int plane = 1;
        for (int s : out) {
            plane *= s;
        }
        int length = 1;
        for (int d = lead; d < x.dim(); d++) {
            length *= x.size(d);
        }
        int planes = length == 0 ? 0 : x.numel() / length;
        float[] keep = lastWriters(op, indices, planes, length, plane, out);
        Tensor flatIndices = indices.reshape(planes, length);
        Tensor result;
        try (var off = GradMode.off()) {
            Tensor values = x.reshape(planes, length);
            if (keep != null) {
                values = values.mul(Tensor.fromArray(keep, new int[] {planes, length}, x.device()));
            }
            result = Tensor.zeros(new int[] {planes, plane}, x.dtype(), x.device()).scatterAdd(1, flatIndices, values).reshape(outShape);
        }
        int planeSize = plane;
        // PyTorch's gradient reads the output's gradient at every index, a value that lost its place included.
        return CustomFunction.record(result, "MaxUnpool" + k + "DBackward0",
                (g, needs) -> new Tensor[] {g.reshape(planes, planeSize).gather(1, flatIndices).reshape(x.shape())}, x);
    }

    private static void checkSettings(String op, int k, int[] kernel, int[] stride, int[] padding) {
        if (kernel.length != k || stride.length != k || padding.length != k) {
            throw new IllegalArgumentException(op + ": kernel size, stride and padding each take " + k + " values, got kernel "
                    + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding));
        }
        for (int d = 0; d < k; d++) {
            if (kernel[d] < 1 || stride[d] < 1 || padding[d] < 0) {
                throw new IllegalArgumentException(op + ": kernel size and stride must be positive and padding non-negative, got kernel "
                        + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding));
            }
        }
    }

    /**
     * PyTorch's {@code _unpool_output_size}: by default {@code (in − 1) · stride + kernel − 2 · padding}
     * per dim; a given size (of the spatial dims, or with N and C before them) must lie strictly
     * within a stride of that, the sizes max pooling could have come from.
     */
    private static int[] outputSize(String op, Tensor x, int[] kernel, int[] stride, int[] padding, int[] given) {
        int k = kernel.length;
        int[] defaults = new int[k];
        for (int d = 0; d < k; d++) {
            defaults[d] = (x.size(x.dim() - k + d) - 1) * stride[d] + kernel[d] - 2 * padding[d];
        }
        int[] size = defaults;
        if (given != null) {
            if (given.length != k && given.length != k + 2) {
                throw new IllegalArgumentException(op + ": output_size must hold " + k + " or " + (k + 2) + " sizes, got "
                        + Arrays.toString(given));
            }
            size = Arrays.copyOfRange(given, given.length - k, given.length);
            for (int d = 0; d < k; d++) {
                int low = defaults[d] - stride[d];
                int high = defaults[d] + stride[d];
                if (size[d] <= low || size[d] >= high) {
                    throw new IllegalArgumentException(op + ": invalid output_size " + Shapes.str(size) + " (dim " + d + " must be between " + low
                            + " and " + high + ", both excluded, for input " + Shapes.str(x.shape()) + ")");
                }
            }
        }
        for (int s : size) {
            if (s < 1) {
                throw new IllegalArgumentException(op + ": input " + Shapes.str(x.shape()) + " with kernel " + Arrays.toString(kernel) + ", stride "
                        + Arrays.toString(stride) + " and padding " + Arrays.toString(padding) + " gives an empty output " + Shapes.str(size));
            }
        }
        return size;
    }

    /**
     * Checks every index against its output plane, and returns a 0/1 mask keeping, of the values
     * written to one place, the last in the input's order; null when no place is written twice.
     */
    private static float[] lastWriters(String op, Tensor indices, int planes, int length, int plane, int[] out) {
        long[] idx = indices.toLongArray();
        // The input position that last wrote each place of the current plane; earlier planes' are stale.
        int[] writtenBy = new int[plane];
        Arrays.fill(writtenBy, -1);
        float[] keep = null;
        for (int p = 0; p < planes; p++) {
            int first = p * length;
            for (int i = first; i < first + length; i++) {
                long at = idx[i];
                if (at < 0 || at >= plane) {
                    throw new IllegalArgumentException(op + ": index " + at + " at position " + Shapes.str(unravel(i, indices.shape()))
                            + " of indices " + Shapes.str(indices.shape()) + " is outside the output plane " + Shapes.str(out));
                }
                int before = writtenBy[(int) at];
                if (before >= first) {
                    if (keep == null) {
                        keep = new float[idx.length];
                        Arrays.fill(keep, 1);
                    }
                    keep[before] = 0;
                }
                writtenBy[(int) at] = i;
            }
        }
        return keep;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }
}
