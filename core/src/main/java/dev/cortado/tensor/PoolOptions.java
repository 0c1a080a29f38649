package dev.cortado.tensor;

/**
 * Window of a 2-d pooling op, with PyTorch's defaults: stride equal to the kernel, no padding,
 * dilation 1 (max pooling only), floor mode, and padding counted in averages.
 * <pre>{@code PoolOptions.of(3).stride(2).padding(1)}</pre>
 */
public record PoolOptions(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                          int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {
    public static PoolOptions of(int kernel) {
        return of(kernel, kernel);
    }

    public static PoolOptions of(int kernelH, int kernelW) {
        return new PoolOptions(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1, false, true);
    }

    public PoolOptions stride(int s) {
        return stride(s, s);
    }

    public PoolOptions stride(int sh, int sw) {
        return new PoolOptions(kernelH, kernelW, sh, sw, padH, padW, dilationH, dilationW, ceilMode, countIncludePad);
    }

    public PoolOptions padding(int p) {
        return padding(p, p);
    }

    public PoolOptions padding(int ph, int pw) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, ph, pw, dilationH, dilationW, ceilMode, countIncludePad);
    }

    public PoolOptions dilation(int d) {
        return dilation(d, d);
    }

    public PoolOptions dilation(int dh, int dw) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, dh, dw, ceilMode, countIncludePad);
    }

    public PoolOptions ceilMode(boolean on) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, on, countIncludePad);
    }

    public PoolOptions countIncludePad(boolean on) {
        return new PoolOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode, on);
    }
}
