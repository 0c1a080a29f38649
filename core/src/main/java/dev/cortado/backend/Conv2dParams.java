package dev.cortado.backend;

/**
 * Geometry of a 2-d convolution as a backend sees it: symmetric zero padding per dimension
 * (core pre-pads asymmetric or reflect padding), weights (Cout, Cin / groups, kernelH, kernelW).
 */
public record Conv2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, int groups) {
    /** Output height for input height h: {@code (h + 2p - d(k-1) - 1) / s + 1}, as PyTorch documents. */
    public int outH(int h) {
        return Math.floorDiv(h + 2 * padH - dilationH * (kernelH - 1) - 1, strideH) + 1;
    }

    /** Output width for input width w. */
    public int outW(int w) {
        return Math.floorDiv(w + 2 * padW - dilationW * (kernelW - 1) - 1, strideW) + 1;
    }
}
