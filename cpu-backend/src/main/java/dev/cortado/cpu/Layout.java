package dev.cortado.cpu;

import dev.cortado.tensor.Tensor;

/**
 * Several tensors of one shape walked together, row by row. Dimensions of size 1 are dropped
 * and neighbouring dimensions merged wherever every operand allows it, so contiguous tensors
 * (and contiguous slices) become a single long row that the vector kernels take whole.
 */
final class Layout {
    @FunctionalInterface
    interface Row {
        /** {@code off[k]} is operand k's storage offset of the row's first element; do not keep the array. */
        void run(int[] off, int n);
    }

    final int[] shape;
    final int[][] strides;
    final int[] base;
    final int numel;

    private Layout(int[] shape, int[][] strides, int[] base, int numel) {
        this.shape = shape;
        this.strides = strides;
        this.base = base;
        this.numel = numel;
    }

    static Layout of(Tensor... ts) {
        int ops = ts.length;
        int[][] st = new int[ops][];
        int[] base = new int[ops];
        for (int k = 0; k < ops; k++) {
            st[k] = ts[k].strides();
            base[k] = ts[k].offset();
        }
        return of(ts[0].shape(), st, base);
    }

    /** Operands given by their strides and offsets over one shape, for walks no tensor view describes. */
    static Layout of(int[] full, int[][] st, int[] base) {
        int ops = st.length;
        int numel = 1;
        for (int s : full) {
            numel *= s;
        }
        // Keep dims of size != 1, then merge d into d+1 when all operands are contiguous across them.
        int[] shape = new int[Math.max(full.length, 1)];
        int[][] strides = new int[ops][Math.max(full.length, 1)];
        int r = 0;
        for (int d = 0; d < full.length; d++) {
            if (full[d] == 1) {
                continue;
            }
            if (r > 0 && mergeable(st, d, shape[r - 1], strides, r - 1, full[d])) {
                shape[r - 1] *= full[d];
                for (int k = 0; k < ops; k++) {
                    strides[k][r - 1] = st[k][d];
                }
                continue;
            }
            shape[r] = full[d];
            for (int k = 0; k < ops; k++) {
                strides[k][r] = st[k][d];
            }
            r++;
        }
        if (r == 0) {
            shape[0] = 1;
            r = 1;
        }
        int[] s = java.util.Arrays.copyOf(shape, r);
        int[][] t = new int[ops][];
        for (int k = 0; k < ops; k++) {
            t[k] = java.util.Arrays.copyOf(strides[k], r);
        }
        return new Layout(s, t, base, numel);
    }

    private static boolean mergeable(int[][] st, int d, int prevSize, int[][] strides, int prev, int size) {
        for (int k = 0; k < st.length; k++) {
            if (strides[k][prev] != st[k][d] * size) {
                return false;
            }
        }
        return prevSize > 0;
    }

    int innerStride(int operand) {
        return strides[operand][shape.length - 1];
    }

    /** Visits elements [start, end) of the row-major order, one row segment at a time. */
    void forEachRow(int start, int end, Row row) {
        int r = shape.length;
        int inner = shape[r - 1];
        int ops = base.length;
        int[] idx = new int[r];
        int rem = start;
        for (int d = r - 1; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        int[] off = new int[ops];
        int pos = start;
        while (pos < end) {
            for (int k = 0; k < ops; k++) {
                int o = base[k];
                for (int d = 0; d < r; d++) {
                    o += idx[d] * strides[k][d];
                }
                off[k] = o;
            }
            int n = Math.min(inner - idx[r - 1], end - pos);
            row.run(off, n);
            pos += n;
            idx[r - 1] = 0;
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /** All rows, split over threads when large. */
    void forEachRowParallel(Row row) {
        Parallel.forRange(numel, 1 << 15, (s, e) -> forEachRow(s, e, row));
    }
}
