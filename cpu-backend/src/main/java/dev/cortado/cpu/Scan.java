package dev.cortado.cpu;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

import static dev.cortado.cpu.Elementwise.f;
import static dev.cortado.cpu.Elementwise.l;

/** Running sums along one dim, lines split over threads: float32 accumulated in double, int64 in long. */
final class Scan {
    private Scan() {
    }

    static void cumsum(Tensor out, Tensor x, int dim) {
        int[] lines = x.shape();
        int len = lines[dim];
        lines[dim] = 1;
        int sx = x.stride(dim);
        int so = out.stride(dim);
        Layout lay = Layout.of(lines, new int[][] {x.strides(), out.strides()}, new int[] {x.offset(), out.offset()});
        int lx = lay.innerStride(0);
        int lo = lay.innerStride(1);
        boolean int64 = x.dtype() == DType.INT64;
        float[] xf = int64 ? null : f(x);
        long[] xl = int64 ? l(x) : null;
        float[] of = int64 ? null : f(out);
        long[] ol = int64 ? l(out) : null;
        Parallel.forRange(lay.numel, Math.max(1, (1 << 14) / Math.max(len, 1)), (start, end) ->
                lay.forEachRow(start, end, (off, n) -> {
                    for (int k = 0, p = off[0], q = off[1]; k < n; k++, p += lx, q += lo) {
                        if (int64) {
                            long sum = 0;
                            for (int j = 0; j < len; j++) {
                                sum += xl[p + j * sx];
                                ol[q + j * so] = sum;
                            }
                        } else {
                            double sum = 0;
                            for (int j = 0; j < len; j++) {
                                sum += xf[p + j * sx];
                                of[q + j * so] = (float) sum;
                            }
                        }
                    }
                }));
    }
}
