package dev.cortado.nn;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * pixel_shuffle, pixel_unshuffle and channel_shuffle: reshapes and one permutation each, so
 * autograd needs nothing of its own and every backend runs them as copies.
 */
final class Shuffles {
    private Shuffles() {
    }

    /** (*, C r², H, W) to (*, C, H r, W r): channel c r² + i r + j fills pixel (h r + i, w r + j) of channel c. */
    static Tensor pixelShuffle(Tensor x, int r) {
        String op = "pixel_shuffle";
        check(op, x, r, "upscale_factor");
        int n = x.dim();
        int c = x.size(n - 3);
        if (c % (r * r) != 0) {
            throw new IllegalArgumentException(op + ": expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
                    + "but input.size(-3)=" + c + " is not divisible by " + r * r);
        }
        int h = x.size(n - 2);
        int w = x.size(n - 1);
        int[] lead = java.util.Arrays.copyOf(x.shape(), n - 3);
        Tensor split = x.reshape(concat(lead, c / (r * r), r, r, h, w));
        // (*, C, r, r, H, W) -> (*, C, H, r, W, r)
        Tensor moved = split.permute(order(lead.length, 0, 3, 1, 4, 2));
        return moved.reshape(concat(lead, c / (r * r), h * r, w * r));
    }

    /** The inverse of {@link #pixelShuffle}: (*, C, H r, W r) to (*, C r², H, W). */
    static Tensor pixelUnshuffle(Tensor x, int r) {
        String op = "pixel_unshuffle";
        check(op, x, r, "downscale_factor");
        int n = x.dim();
        int h = x.size(n - 2);
        int w = x.size(n - 1);
        if (h % r != 0 || w % r != 0) {
            boolean height = h % r != 0;
            throw new IllegalArgumentException(op + ": expects " + (height ? "height" : "width") + " to be divisible by downscale_factor, but input.size("
                    + (height ? -2 : -1) + ")=" + (height ? h : w) + " is not divisible by " + r);
        }
        int c = x.size(n - 3);
        int[] lead = java.util.Arrays.copyOf(x.shape(), n - 3);
        Tensor split = x.reshape(concat(lead, c, h / r, r, w / r, r));
        // (*, C, H, r, W, r) -> (*, C, r, r, H, W)
        Tensor moved = split.permute(order(lead.length, 0, 2, 4, 1, 3));
        return moved.reshape(concat(lead, c * r * r, h / r, w / r));
    }

    /** (N, C, *) with C = g k: channel i k + j moves to j g + i, interleaving the g groups. */
    static Tensor channelShuffle(Tensor x, int groups) {
        if (x.dim() <= 2) {
            throw new IllegalArgumentException("channel_shuffle: expects input with > 2 dims, but got input with sizes " + Shapes.str(x.shape()));
        }
        int c = x.size(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("channel_shuffle: the number of groups must be positive and divide the channels, got " + c
                    + " channels and " + groups + " groups");
        }
        int[] shape = x.shape();
        int[] split = new int[shape.length + 1];
        split[0] = shape[0];
        split[1] = groups;
        split[2] = c / groups;
        System.arraycopy(shape, 2, split, 3, shape.length - 2);
        return x.reshape(split).transpose(1, 2).reshape(shape);
    }

    private static void check(String op, Tensor x, int factor, String name) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException(op + ": expects input to have at least 3 dimensions, but got input with " + x.dim()
                    + " dimension(s): " + Shapes.str(x.shape()));
        }
        if (factor <= 0) {
            throw new IllegalArgumentException(op + ": expects a positive " + name + ", but got " + factor);
        }
    }

    private static int[] concat(int[] lead, int... rest) {
        int[] out = java.util.Arrays.copyOf(lead, lead.length + rest.length);
        System.arraycopy(rest, 0, out, lead.length, rest.length);
        return out;
    }

    /** The leading dims in place, then the last five permuted by {@code tail}. */
    private static int[] order(int leading, int... tail) {
        int[] out = new int[leading + tail.length];
        for (int i = 0; i < leading; i++) {
            out[i] = i;
        }
        for (int i = 0; i < tail.length; i++) {
            out[leading + i] = leading + tail[i];
        }
        return out;
    }
}
