package dev.cortado.tensor;

/**
 * Max, average and adaptive 1-d pooling on (N, C, L) or (C, L) inputs: the 2-d pools of the
 * (N, C, 1, L) view by a (1, k) window, as PyTorch computes them. The options' single-value forms
 * ({@code PoolOptions.of(3).stride(2).padding(1)}) give the one kernel, stride, padding and
 * dilation a 1-d pool takes.
 */
public final class Pooling1d {
    private Pooling1d() {
    }

    /** {@code F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode)}. */
    public static Tensor maxPool1d(Tensor x, PoolOptions o) {
        return maxPool1dWithIndices(x, o).values();
    }

    /** Max pooling that also returns, per output, the position of its maximum along L. */
    public static ValuesIndices maxPool1dWithIndices(Tensor input, PoolOptions o) {
        if (input.dim() == 2) {
            ValuesIndices r = maxPool1dWithIndices(input.unsqueeze(0), o);
            return new ValuesIndices(r.values().squeeze(0), r.indices().squeeze(0));
        }
        Pooling.params("max_pool1d", input, o, true, 1);
        ValuesIndices r = Pooling.maxPool2dWithIndices(input.unsqueeze(2), flat(o));
        // In a plane one row high, the 2-d index h * W + w is the position w itself.
        return new ValuesIndices(r.values().squeeze(2), r.indices().squeeze(2));
    }

    /** {@code F.avg_pool1d(x, kernel, stride, padding, ceil_mode, count_include_pad)}. */
    public static Tensor avgPool1d(Tensor input, PoolOptions o) {
        if (input.dim() == 2) {
            return avgPool1d(input.unsqueeze(0), o).squeeze(0);
        }
        Pooling.params("avg_pool1d", input, o, false, 1);
        return Pooling.avgPool2d(input.unsqueeze(2), flat(o)).squeeze(2);
    }

    /** {@code F.adaptive_avg_pool1d(x, size)}: output i averages positions {@code floor(i L / size)} to {@code ceil((i + 1) L / size)}. */
    public static Tensor adaptiveAvgPool1d(Tensor x, int size) {
        checkAdaptive("adaptive_avg_pool1d", x, size);
        return Pooling.adaptiveAvgPool2d(x.unsqueeze(-2), 1, size).squeeze(-2);
    }

    /** {@code F.adaptive_max_pool1d(x, size)}: the maximum over the same windows as {@link #adaptiveAvgPool1d}. */
    public static Tensor adaptiveMaxPool1d(Tensor x, int size) {
        checkAdaptive("adaptive_max_pool1d", x, size);
        return Pooling.adaptiveMaxPool2d(x.unsqueeze(-2), 1, size).squeeze(-2);
    }

    private static void checkAdaptive(String op, Tensor x, int size) {
        if (x.dim() != 2 && x.dim() != 3) {
            throw new IllegalArgumentException(op + ": expected " + Convolution.inputForms(1) + " input, got " + Shapes.str(x.shape()));
        }
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 input, got " + x.dtype());
        }
        if (size < 1 || x.size(x.dim() - 1) < 1) {
            throw new IllegalArgumentException(op + ": output size " + size + " must be positive and the input " + Shapes.str(x.shape())
                    + " non-empty");
        }
    }

    /** The 2-d window of a 1-d pool: one row high, the width's settings along L. */
    private static PoolOptions flat(PoolOptions o) {
        return new PoolOptions(1, o.kernelW(), 1, o.strideW(), 0, o.padW(), 1, o.dilationW(), o.ceilMode(), o.countIncludePad());
    }
}
