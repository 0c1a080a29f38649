package dev.cortado.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by core and backends: sizes, strides, broadcasting, dim checks. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements; fails when it does not fit one Java array. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31 - 9 elements, the most one Java array holds");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /**
     * Whether the strides are the row-major ones (dimensions of size 1 may have any stride). A
     * tensor without elements is contiguous whatever its strides, as in PyTorch: it has no element
     * out of place, and {@link #contiguousStrides} gives it strides as if its size-0 dims were 1.
     */
    public static boolean isContiguous(int[] shape, int[] strides) {
        boolean rowMajor = true;
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) {
                return true;
            }
            rowMajor &= shape[i] == 1 || strides[i] == expected;
            expected *= shape[i];
        }
        return rowMajor;
    }

    /**
     * A view's dims as few as they can be: size-1 dims dropped and each dim merged into the one
     * before it where that one's stride is its stride times its size (the two step through memory
     * as one), which keeps the row-major order of the elements. Writes the sizes and strides left
     * into sizes and merged (each at least shape.length long) and returns how many there are.
     */
    public static int mergeDims(int[] shape, int[] strides, int[] sizes, int[] merged) {
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (n > 0 && merged[n - 1] == strides[d] * shape[d]) {
                sizes[n - 1] *= shape[d];
                merged[n - 1] = strides[d];
            } else {
                sizes[n] = shape[d];
                merged[n] = strides[d];
                n++;
            }
        }
        return n;
    }

    /** PyTorch's way of printing a shape: {@code (2, 3)}, {@code (5,)}, {@code ()}. */
    public static String str(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** NumPy broadcasting of two shapes; the error names the op and the dimension that clashes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast: dimension " + (i - n) + " is " + da + " vs " + db
                        + " (sizes must match or one of them be 1)");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** batch followed by (rows, cols): the shape of a batch of matrices. */
    static int[] matrices(int[] batch, int rows, int cols) {
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = rows;
        shape[batch.length + 1] = cols;
        return shape;
    }

    /** Normalises a possibly negative dim, with PyTorch's message when out of range. */
    public static int dim(String op, int dim, int rank) {
        int lo = rank == 0 ? -1 : -rank;
        int hi = rank == 0 ? 0 : rank - 1;
        if (dim < lo || dim > hi) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of ["
                    + lo + ", " + hi + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + Math.max(rank, 1) : dim;
    }

    /** Normalises and sorts dims, rejecting repeats. */
    public static int[] dims(String op, int[] dims, int rank) {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dim(op, dims[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": dim " + out[i] + " appears more than once in " + Arrays.toString(dims));
            }
        }
        return out;
    }

    static int[] all(int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = i;
        }
        return d;
    }
}
