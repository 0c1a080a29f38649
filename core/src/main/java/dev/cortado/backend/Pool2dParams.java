package dev.cortado.backend;

/**
 * Geometry of a 2-d max or average pooling window, with PyTorch's output-size rule: floor (or
 * ceil in {@code ceilMode}) of {@code (h + 2p - d(k-1) - 1) / s + 1}, where in ceil mode a last
 * window that would start inside the right padding is dropped.
 */
public record Pool2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {
    public int outH(int h) {
        return outSize(h, kernelH, strideH, padH, dilationH);
    }

    public int outW(int w) {
        return outSize(w, kernelW, strideW, padW, dilationW);
    }

    private int outSize(int in, int k, int s, int p, int d) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int out = (ceilMode ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
        if (ceilMode && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }
}
