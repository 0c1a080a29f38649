package dev.cortado.tensor;

/**
 * {@code torch.multinomial} and {@code torch.bernoulli} from the default generator: draws on the
 * host (multinomial reads its weights back; its result depends on them sequentially), and
 * Bernoulli draws as uniform numbers below p. The draws are Cortado's own, reproducible with
 * {@code Cortado.manualSeed}, not PyTorch's.
 */
final class Sampling {
    private Sampling() {
    }

    /** numSamples category indices per row of non-negative weights (1-d or 2-d), with or without replacement. */
    static Tensor multinomial(Tensor weights, int numSamples, boolean replacement) {
        String op = "multinomial";
        if (weights.dim() != 1 && weights.dim() != 2) {
            throw new IllegalArgumentException(op + ": prob_dist must be 1 or 2 dim, got " + Shapes.str(weights.shape()));
        }
        if (weights.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": only supports float32 weights, got " + weights.dtype());
        }
        if (numSamples <= 0) {
            throw new IllegalArgumentException(op + ": cannot sample n_sample <= 0 samples, got " + numSamples);
        }
        int rows = weights.dim() == 1 ? 1 : weights.size(0);
        int k = weights.size(weights.dim() - 1);
        if (k == 0) {
            throw new IllegalArgumentException(op + ": number of categories cannot be zero");
        }
        if (!replacement && numSamples > k) {
            throw new IllegalArgumentException(op + ": cannot sample n_sample > prob_dist.size(-1) samples without replacement, got "
                    + numSamples + " > " + k);
        }
        float[] w = weights.contiguous().toFloatArray();
        long[] out = new long[rows * numSamples];
        Generator gen = Cortado.defaultGenerator();
        for (int r = 0; r < rows; r++) {
            double[] p = new double[k];
            double total = 0;
            int positive = 0;
            for (int j = 0; j < k; j++) {
                float v = w[r * k + j];
                if (!(v >= 0) || Float.isInfinite(v)) {
                    throw new IllegalArgumentException(op + ": probability tensor contains either inf, nan or element < 0, got " + v
                            + " in row " + r);
                }
                p[j] = v;
                total += v;
                positive += v > 0 ? 1 : 0;
            }
            if (total == 0) {
                throw new IllegalArgumentException(op + ": invalid multinomial distribution (sum of probabilities <= 0) in row " + r);
            }
            if (!replacement && positive < numSamples) {
                throw new IllegalArgumentException(op + ": invalid multinomial distribution (with replacement=False, not enough non-negative"
                        + " category to sample): row " + r + " has " + positive + " categories of nonzero weight for " + numSamples + " samples");
            }
            for (int s = 0; s < numSamples; s++) {
                int pick = draw(p, total, gen.nextDouble());
                out[r * numSamples + s] = pick;
                if (!replacement) {
                    total -= p[pick];
                    p[pick] = 0;
                }
            }
        }
        int[] shape = weights.dim() == 1 ? new int[] {numSamples} : new int[] {rows, numSamples};
        return Creation.fromLongs(out, shape, weights.device());
    }

    /** The category where u · total falls in the running sums, never one of weight 0. */
    private static int draw(double[] p, double total, double u) {
        double target = u * total;
        double run = 0;
        int last = -1;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0) {
                run += p[j];
                last = j;
                if (target < run) {
                    return j;
                }
            }
        }
        return last;
    }

    /** 1 with probability p (each element of p in [0, 1]), else 0, in p's dtype and shape. */
    static Tensor bernoulli(Tensor p) {
        if (p.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("bernoulli: expected float32 probabilities, got " + p.dtype());
        }
        // One pass and one read-back: NaN fails both comparisons, so it is outside [0, 1] too.
        if (p.numel() > 0 && p.ge(0).mul(p.le(1)).all().item() == 0) {
            throw new IllegalArgumentException("bernoulli: expects p to be in [0, 1], got values outside it in a tensor of shape "
                    + Shapes.str(p.shape()));
        }
        return Creation.rand(p.shape(), p.device()).lt(p.detach());
    }
}
