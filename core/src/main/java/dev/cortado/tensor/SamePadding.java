package dev.cortado.tensor;

/**
 * PyTorch's {@code padding="same"} for a stride-1 convolution: along each spatial dim the output
 * keeps the input's size when d·(k - 1) elements are added, half before and the rest (an odd one)
 * after, as PyTorch places it.
 */
final class SamePadding {
    private SamePadding() {
    }

    /** The total padding d·(k - 1) of each spatial dim, first to last. */
    static int[] totals(int[] kernel, int[] dilation) {
        int[] total = new int[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            total[i] = dilation[i] * (kernel[i] - 1);
        }
        return total;
    }

    /** The totals as {@link Tensor#pad}'s argument: (before, after) pairs from the last dim to the first. */
    static int[] padArgument(int[] totals) {
        int n = totals.length;
        int[] pad = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int t = totals[n - 1 - i];
            pad[2 * i] = t / 2;
            pad[2 * i + 1] = t - t / 2;
        }
        return pad;
    }
}
