package dev.cortado.cpu;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

import static dev.cortado.cpu.Elementwise.f;
import static dev.cortado.cpu.Elementwise.l;

/**
 * Stable sort of every line along one dim, lines split over threads. Each value becomes a long
 * key whose signed order is the wanted one (a float's bits made monotonic, NaN above +inf, -0.0
 * as 0.0; bitwise not for descending), and a bottom-up merge sort orders the line's positions by
 * key, keeping equal keys in position order.
 */
final class Sort {
    private Sort() {
    }

    static void sort(Tensor values, Tensor indices, Tensor x, int dim, boolean descending) {
        int[] lines = x.shape();
        int len = lines[dim];
        lines[dim] = 1;
        int sx = x.stride(dim);
        int so = values.stride(dim);
        Layout lay = Layout.of(lines, new int[][] {x.strides(), values.strides()}, new int[] {x.offset(), values.offset()});
        int lx = lay.innerStride(0);
        int lo = lay.innerStride(1);
        boolean int64 = x.dtype() == DType.INT64;
        float[] xf = int64 ? null : f(x);
        long[] xl = int64 ? l(x) : null;
        float[] vf = int64 ? null : f(values);
        long[] vl = int64 ? l(values) : null;
        long[] idx = l(indices);
        Parallel.forRange(lay.numel, Math.max(1, (1 << 14) / Math.max(len, 1)), (start, end) -> {
            long[] keys = new long[len];
            int[] order = new int[len];
            int[] scratch = new int[len];
            lay.forEachRow(start, end, (off, n) -> {
                for (int k = 0, p = off[0], q = off[1]; k < n; k++, p += lx, q += lo) {
                    for (int j = 0; j < len; j++) {
                        long key = int64 ? xl[p + j * sx] : key(xf[p + j * sx]);
                        keys[j] = descending ? ~key : key;
                        order[j] = j;
                    }
                    int[] sorted = mergeSort(keys, order, scratch);
                    for (int j = 0; j < len; j++) {
                        int from = sorted[j];
                        if (int64) {
                            vl[q + j * so] = xl[p + from * sx];
                        } else {
                            vf[q + j * so] = xf[p + from * sx];
                        }
                        idx[q + j * so] = from;
                    }
                }
            });
        });
    }

    /** A long whose signed order is the float's, with every NaN above +inf and -0.0 equal to 0.0. */
    static long key(float v) {
        int bits = Float.floatToIntBits(v == 0 ? 0f : v); // canonical NaN: 0x7fc00000, above +inf's bits
        return bits < 0 ? bits ^ 0x7fffffff : bits;
    }

    /** Positions 0..n-1 ordered by key, stably: bottom-up merges between a and b; returns whichever holds the result. */
    private static int[] mergeSort(long[] keys, int[] a, int[] b) {
        int n = a.length;
        for (long width = 1; width < n; width *= 2) {
            for (long lo = 0; lo < n; lo += 2 * width) {
                int mid = (int) Math.min(lo + width, n);
                int hi = (int) Math.min(lo + 2 * width, n);
                int i = (int) lo;
                int j = mid;
                for (int t = (int) lo; t < hi; t++) {
                    // The right run's element goes first only when strictly smaller: equal keys keep their order.
                    b[t] = j < hi && (i >= mid || keys[a[j]] < keys[a[i]]) ? a[j++] : a[i++];
                }
            }
            int[] swap = a;
            a = b;
            b = swap;
        }
        return a;
    }
}
