package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.List;

/** split, chunk and unbind: views of consecutive parts of a tensor along one dim, as PyTorch cuts them. */
final class Splitting {
    private Splitting() {
    }

    /** Parts of splitSize along dim, the last one smaller when the size does not divide. */
    static List<Tensor> split(Tensor x, int splitSize, int dim) {
        int d = dimOf("split", x, dim);
        int size = x.shape[d];
        if (splitSize < 0 || splitSize == 0 && size != 0) {
            throw new IllegalArgumentException("split: split_size must be positive (or 0 for a dimension of size 0), got " + splitSize
                    + " for dimension " + d + " of size " + size);
        }
        List<Tensor> parts = new ArrayList<>();
        if (size == 0) {
            parts.add(x.narrow(d, 0, 0));
            return parts;
        }
        for (int start = 0; start < size; start += splitSize) {
            parts.add(x.narrow(d, start, Math.min(splitSize, size - start)));
        }
        return parts;
    }

    /** Parts of the given sizes, which must add up to the dim's size. */
    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int d = dimOf("split", x, dim);
        long total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes must be non-negative, got " + java.util.Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != x.shape[d]) {
            throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " must add up to " + x.shape[d]
                    + ", the size of dimension " + d + " of shape " + Shapes.str(x.shape));
        }
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            parts.add(x.narrow(d, start, s));
            start += s;
        }
        return parts;
    }

    /** At most chunks parts of ceil(size / chunks) each, as {@code torch.chunk}: fewer when that size covers the dim sooner. */
    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int d = dimOf("chunk", x, dim);
        int size = x.shape[d];
        if (size == 0) {
            // PyTorch gives chunks empty parts here, where split gives one.
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                parts.add(x.narrow(d, 0, 0));
            }
            return parts;
        }
        return split(x, (size + chunks - 1) / chunks, d);
    }

    /** Every index along dim, each as a view without that dim. */
    static List<Tensor> unbind(Tensor x, int dim) {
        int d = dimOf("unbind", x, dim);
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < x.shape[d]; i++) {
            parts.add(x.select(d, i));
        }
        return parts;
    }

    private static int dimOf(String op, Tensor x, int dim) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + ": cannot be applied to a 0-dim tensor");
        }
        return Shapes.dim(op, dim, x.dim());
    }
}
