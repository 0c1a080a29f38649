package dev.cortado.data;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * A fixed shuffle of the pixels of an H×W image, used to destroy spatial structure while keeping
 * the information: pixel {@code k} of a permuted image is pixel {@code forward[k]} of the original,
 * and {@code inverse} undoes it ({@code inverse[forward[k]] == k}).
 */
public record PixelPermutation(int[] forward, int[] inverse) {
    public PixelPermutation {
        if (forward.length != inverse.length) {
            throw new IllegalArgumentException("PixelPermutation: forward has " + forward.length + " entries, inverse " + inverse.length);
        }
        boolean[] seen = new boolean[forward.length];
        for (int k = 0; k < forward.length; k++) {
            int f = forward[k];
            if (f < 0 || f >= forward.length || seen[f]) {
                throw new IllegalArgumentException("PixelPermutation: forward is not a permutation of 0.." + (forward.length - 1)
                        + " (entry " + k + " = " + f + ")");
            }
            seen[f] = true;
            if (inverse[f] != k) {
                throw new IllegalArgumentException("PixelPermutation: inverse[" + f + "] = " + inverse[f] + " but forward[" + k + "] = " + f);
            }
        }
    }

    /** A permutation of {@code pixels} positions from a seed (Fisher–Yates), and its inverse. */
    public static PixelPermutation random(int pixels, long seed) {
        return of(randomOrder(pixels, new SplittableRandom(seed)));
    }

    /** The permutation {@code forward} with its computed inverse (like {@code argsort}). */
    public static PixelPermutation of(int[] forward) {
        int[] inverse = new int[forward.length];
        java.util.Arrays.fill(inverse, -1);
        for (int k = 0; k < forward.length; k++) {
            if (forward[k] < 0 || forward[k] >= forward.length || inverse[forward[k]] != -1) {
                throw new IllegalArgumentException("PixelPermutation: forward is not a permutation of 0.." + (forward.length - 1)
                        + " (entry " + k + " = " + forward[k] + ")");
            }
            inverse[forward[k]] = k;
        }
        return new PixelPermutation(forward.clone(), inverse);
    }

    static int[] randomOrder(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public int size() {
        return forward.length;
    }

    /** Permutes each image of {@code images} (…, H, W) with H·W = size(). */
    public Tensor apply(Tensor images) {
        return gather(images, forward, "apply");
    }

    /** Undoes {@link #apply}: puts the pixels of permuted images back in place. */
    public Tensor undo(Tensor images) {
        return gather(images, inverse, "undo");
    }

    /** Permutes one image stored row-major in {@code pixels[offset, offset + size())} into {@code out}. */
    void apply(float[] pixels, int offset, float[] out, int outOffset) {
        for (int k = 0; k < forward.length; k++) {
            out[outOffset + k] = pixels[offset + forward[k]];
        }
    }

    private Tensor gather(Tensor images, int[] order, String op) {
        int[] shape = images.shape();
        if (shape.length < 2 || shape[shape.length - 1] * shape[shape.length - 2] != order.length) {
            throw new IllegalArgumentException("PixelPermutation." + op + ": images " + Shapes.str(shape) + " must end in H×W = "
                    + order.length + " pixels");
        }
        float[] in = images.contiguous().toFloatArray();
        float[] out = new float[in.length];
        for (int base = 0; base < in.length; base += order.length) {
            for (int k = 0; k < order.length; k++) {
                out[base + k] = in[base + order[k]];
            }
        }
        return Tensor.fromArray(out, shape, images.device());
    }
}
