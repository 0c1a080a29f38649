package dev.cortado.cuda;

import dev.cortado.tensor.Shapes;

import java.util.Arrays;

/**
 * A tensor view packed as the kernels' {@code Lay} struct: {ndim, offset, shape[8], stride[8],
 * magic[8], shift[8]}, the last two each inner dim's size as a {@link FastDivisor}, so that the
 * kernels split an element index into coordinates by multiply-high instead of integer division.
 * Dims of size 1 are dropped and neighbours that step through memory as one are merged, which
 * keeps the row-major numbering of elements, so every operand of a kernel is packed on its own
 * and a contiguous tensor (one dim) costs no division per element.
 */
final class Strided {
    static final int MAX_DIMS = 8;
    static final int INTS = 2 + 4 * MAX_DIMS;

    private Strided() {
    }

    static int[] pack(int[] shape, int[] strides, int offset) {
        int[] s = new int[shape.length];
        int[] st = new int[shape.length];
        int n = Shapes.mergeDims(shape, strides, s, st);
        if (n > MAX_DIMS) {
            throw new IllegalArgumentException("cuda: a view of shape " + Shapes.str(shape) + " and strides " + Shapes.str(strides)
                    + " has " + n + " dimensions that cannot be merged; the CUDA kernels take at most " + MAX_DIMS);
        }
        int[] packed = new int[INTS];
        packed[0] = n;
        packed[1] = offset;
        System.arraycopy(s, 0, packed, 2, n);
        System.arraycopy(st, 0, packed, 2 + MAX_DIMS, n);
        // at() divides by every size but the outermost; an empty view (a size of 0) is never walked.
        for (int d = 1; d < n; d++) {
            if (s[d] > 0) {
                FastDivisor f = FastDivisor.of(s[d]);
                packed[2 + 2 * MAX_DIMS + d] = f.magic();
                packed[2 + 3 * MAX_DIMS + d] = f.shift();
            }
        }
        return packed;
    }

    /** Whether {@link #pack} takes the view: at most {@link #MAX_DIMS} dims once merged (at once for a view of no more dims). */
    static boolean fits(int[] shape, int[] strides) {
        return shape.length <= MAX_DIMS || Shapes.mergeDims(shape, strides, new int[shape.length], new int[shape.length]) <= MAX_DIMS;
    }

    /**
     * The row-major offsets that {@code packed} gives elements 0..numel-1, computed as the kernel's
     * at() does (inner dims by their magic numbers, the outermost from what is left), for tests.
     */
    static int[] offsets(int[] packed, int numel) {
        int[] out = new int[numel];
        int n = packed[0];
        for (int i = 0; i < numel; i++) {
            int off = packed[1];
            int rest = i;
            for (int d = n - 1; d >= 1; d--) {
                int q = FastDivisor.divide(rest, packed[2 + 2 * MAX_DIMS + d], packed[2 + 3 * MAX_DIMS + d]);
                off += (rest - q * packed[2 + d]) * packed[2 + MAX_DIMS + d];
                rest = q;
            }
            if (n > 0) {
                off += rest * packed[2 + MAX_DIMS];
            }
            out[i] = off;
        }
        return out;
    }

    /** Whether the kernels' dense() holds: one dim of stride 1, a contiguous run of elements. */
    static boolean dense(int[] packed) {
        return packed[0] == 1 && packed[2 + MAX_DIMS] == 1;
    }

    static String describe(int[] packed) {
        int n = packed[0];
        return "Lay(offset " + packed[1] + ", shape " + Arrays.toString(Arrays.copyOfRange(packed, 2, 2 + n)) + ", strides "
                + Arrays.toString(Arrays.copyOfRange(packed, 2 + MAX_DIMS, 2 + MAX_DIMS + n)) + ")";
    }
}
