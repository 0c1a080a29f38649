package dev.cortado.nn;

import dev.cortado.tensor.PoolOptions;
import dev.cortado.tensor.Tensor;

/**
 * Power-average pooling in PyTorch's steps: the window's average of x^p as
 * {@code sign(out) · relu(|out|)}, times the window's size, raised to 1/p. The sign and relu give
 * back the average itself (a negative one, from an odd p over negative inputs, then has no real
 * root and gives NaN, as PyTorch's does) but route the gradient as PyTorch's ops do. Padding is
 * always 0, as in {@code F.lp_pool2d}.
 */
final class LpPooling {
    private LpPooling() {
    }

    static Tensor lpPool1d(Tensor x, double normType, int kernel, int stride, boolean ceilMode) {
        check("lp_pool1d", normType);
        Tensor out = F.avgPool1d(x.pow(normType), PoolOptions.of(kernel).stride(stride).ceilMode(ceilMode));
        return root(out, normType, kernel);
    }

    static Tensor lpPool2d(Tensor x, double normType, int kernelH, int kernelW, int strideH, int strideW, boolean ceilMode) {
        check("lp_pool2d", normType);
        Tensor out = F.avgPool2d(x.pow(normType), PoolOptions.of(kernelH, kernelW).stride(strideH, strideW).ceilMode(ceilMode));
        return root(out, normType, kernelH * kernelW);
    }

    private static void check(String op, double normType) {
        if (normType == 0 || !Double.isFinite(normType)) {
            throw new IllegalArgumentException(op + ": norm_type must be finite and nonzero (the result is raised to 1/norm_type), got " + normType);
        }
    }

    private static Tensor root(Tensor out, double normType, int size) {
        return out.sign().mul(out.abs().relu()).mul(size).pow(1.0 / normType);
    }
}
