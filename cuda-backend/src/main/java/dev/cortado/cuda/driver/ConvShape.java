package dev.cortado.cuda.driver;

/**
 * Everything cuDNN needs to know about one convolution: input (n, c, h, w), filters (k, c / groups,
 * r, s), symmetric padding, stride, dilation, groups, and the output size. Also the key of the
 * algorithm cache.
 */
public record ConvShape(int n, int c, int h, int w, int k, int r, int s, int padH, int padW, int strideH, int strideW, int dilationH,
                        int dilationW, int groups, int outH, int outW) {
    public ConvShape {
        if (c % groups != 0 || k % groups != 0) {
            throw new IllegalArgumentException("conv2d: " + c + " input and " + k + " output channels are not both divisible by groups = "
                    + groups);
        }
    }

    public long inputElements() {
        return (long) n * c * h * w;
    }

    public long outputElements() {
        return (long) n * k * outH * outW;
    }

    public long weightElements() {
        return (long) k * (c / groups) * r * s;
    }
}
