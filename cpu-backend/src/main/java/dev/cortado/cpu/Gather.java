package dev.cortado.cpu;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

import static dev.cortado.cpu.Elementwise.f;
import static dev.cortado.cpu.Elementwise.l;

/**
 * gather and scatter_add along one dim. x is walked over out's shape with a stride of 0 along
 * dim (the row's base), and each position then steps along dim from there. scatter_add gives
 * each line along dim to one thread, whose additions land in the line's order; lines never
 * share an output element, so the result needs no atomics and is the same at any thread count.
 */
final class Gather {
    private Gather() {
    }

    static void gather(Tensor out, Tensor x, int dim, Tensor index) {
        int[] xs = x.strides();
        int step = xs[dim];
        xs[dim] = 0;
        Layout lay = Layout.of(out.shape(), new int[][] {out.strides(), xs, index.strides()},
                new int[] {out.offset(), x.offset(), index.offset()});
        int so = lay.innerStride(0);
        int sx = lay.innerStride(1);
        int si = lay.innerStride(2);
        long[] at = l(index);
        if (out.dtype() == DType.INT64) {
            long[] o = l(out);
            long[] in = l(x);
            lay.forEachRowParallel((off, n) -> {
                for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += so, q += sx, r += si) {
                    o[p] = in[q + (int) at[r] * step];
                }
            });
            return;
        }
        float[] o = f(out);
        float[] in = f(x);
        lay.forEachRowParallel((off, n) -> {
            for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += so, q += sx, r += si) {
                o[p] = in[q + (int) at[r] * step];
            }
        });
    }

    static void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        int[] lines = src.shape();
        int len = lines[dim];
        lines[dim] = 1;
        int so = out.stride(dim);
        int si = index.stride(dim);
        int ss = src.stride(dim);
        Layout lay = Layout.of(lines, new int[][] {out.strides(), index.strides(), src.strides()},
                new int[] {out.offset(), index.offset(), src.offset()});
        int lo = lay.innerStride(0);
        int li = lay.innerStride(1);
        int ls = lay.innerStride(2);
        long[] at = l(index);
        Layout.Row row;
        if (out.dtype() == DType.INT64) {
            long[] o = l(out);
            long[] s = l(src);
            row = (off, n) -> {
                for (int k = 0, p = off[0], r = off[1], q = off[2]; k < n; k++, p += lo, r += li, q += ls) {
                    for (int j = 0; j < len; j++) {
                        o[p + (int) at[r + j * si] * so] += s[q + j * ss];
                    }
                }
            };
        } else {
            float[] o = f(out);
            float[] s = f(src);
            row = (off, n) -> {
                for (int k = 0, p = off[0], r = off[1], q = off[2]; k < n; k++, p += lo, r += li, q += ls) {
                    for (int j = 0; j < len; j++) {
                        o[p + (int) at[r + j * si] * so] += s[q + j * ss];
                    }
                }
            };
        }
        Parallel.forRange(lay.numel, Math.max(1, (1 << 15) / Math.max(len, 1)), (start, end) -> lay.forEachRow(start, end, row));
    }
}
