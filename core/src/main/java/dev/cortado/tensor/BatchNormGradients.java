package dev.cortado.tensor;

/**
 * Batch norm's gradients written as recorded ops, for a backward pass that records its gradients'
 * graph (createGraph). With batch statistics the mean and variance are recomputed from x as
 * recorded ops, so that the second derivative sees how they move with x; the plain backward pass
 * keeps the backend's fused kernel.
 */
final class BatchNormGradients {
    private BatchNormGradients() {
    }

    /**
     * Gradients of batch_norm(x) for output gradient g, in the order of inputs (x, then weight and
     * bias where present, w null when absent): with batch statistics
     * {@code w invstd (g - mean(g) - x̂ mean(g x̂))}, else {@code g w invstd} for the running
     * statistics' mean and invstd (constants of the graph).
     */
    static Tensor[] of(Tensor g, Tensor x, Tensor w, boolean hasBias, boolean[] needs, boolean batchStats, Tensor runningMean,
                       Tensor runningInvstd, double eps) {
        int[] dims = new int[x.dim() - 1];
        dims[0] = 0;
        for (int i = 2; i < x.dim(); i++) {
            dims[i - 1] = i;
        }
        int[] channel = new int[x.dim()];
        java.util.Arrays.fill(channel, 1);
        channel[1] = x.size(1);
        Tensor mean;
        Tensor invstd;
        if (batchStats) {
            mean = x.mean(dims, true);
            invstd = x.sub(mean).square().mean(dims, true).add(eps).rsqrt();
        } else {
            mean = runningMean.view(channel);
            invstd = runningInvstd.view(channel);
        }
        Tensor xhat = x.sub(mean).mul(invstd);
        Tensor scale = w == null ? invstd : invstd.mul(w.view(channel));
        Tensor gx = null;
        if (needs[0]) {
            gx = batchStats ? g.sub(g.mean(dims, true)).sub(xhat.mul(g.mul(xhat).mean(dims, true))).mul(scale) : g.mul(scale);
        }
        Tensor[] grads = new Tensor[needs.length];
        grads[0] = gx;
        if (w != null && needs[1]) {
            grads[1] = g.mul(xhat).sum(dims, false);
        }
        if (hasBias && needs[needs.length - 1]) {
            grads[needs.length - 1] = g.sum(dims, false);
        }
        return grads;
    }
}
