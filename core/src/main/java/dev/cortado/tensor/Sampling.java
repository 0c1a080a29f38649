package dev.cortado.tensor;

/**
 * {@code torch.multinomial} and {@code torch.bernoulli} from the default generator: draws on the
 * host (multinomial reads its weights back; its result depends on them sequentially), and
 * Bernoulli draws as uniform numbers below p. Both take PyTorch's CPU draws by PyTorch's
 * algorithms, so a seed gives PyTorch's samples.
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
        for (int r = 0; r < rows; r++) {
            double total = 0;
            int positive = 0;
            for (int j = 0; j < k; j++) {
                float v = w[r * k + j];
                if (!(v >= 0) || Float.isInfinite(v)) {
                    throw new IllegalArgumentException(op + ": probability tensor contains either inf, nan or element < 0, got " + v
                            + " in row " + r);
                }
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
        }
        Generator gen = Cortado.defaultGenerator();
        long[] out = replacement ? cumulative(w, rows, k, numSamples, gen) : keys(w, rows, k, numSamples, gen);
        int[] shape = weights.dim() == 1 ? new int[] {numSamples} : new int[] {rows, numSamples};
        return Creation.fromLongs(out, shape, weights.device());
    }

    /**
     * PyTorch's draw without replacement: every weight divided by an Exp(1)
     * draw, −log(1 − u) in double made float32, all rows' draws first; each row's numSamples
     * largest quotients, largest first (an exponential race: the Gumbel-max trick).
     */
    private static long[] keys(float[] w, int rows, int k, int numSamples, Generator gen) {
        float[] q = new float[w.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = w[i] / (float) (-Math.log(1.0 - gen.nextDouble()));
        }
        long[] out = new long[rows * numSamples];
        for (int r = 0; r < rows; r++) {
            int base = r * k;
            Integer[] order = new Integer[k];
            for (int j = 0; j < k; j++) {
                order[j] = j;
            }
            // Stable, so that of equal keys the first category comes first, as argmax picks it.
            java.util.Arrays.sort(order, (x, y) -> Float.compare(q[base + y], q[base + x]));
            for (int s = 0; s < numSamples; s++) {
                out[r * numSamples + s] = order[s];
            }
        }
        return out;
    }

    /**
     * PyTorch's draw with replacement: the row's running sums in float32, divided by the total
     * (the last set to 1), and for each sample the first category whose sum reaches a double
     * uniform draw, by binary search.
     */
    private static long[] cumulative(float[] w, int rows, int k, int numSamples, Generator gen) {
        long[] out = new long[rows * numSamples];
        float[] cum = new float[k];
        for (int r = 0; r < rows; r++) {
            float sum = 0;
            for (int j = 0; j < k; j++) {
                sum += w[r * k + j];
                cum[j] = sum;
            }
            for (int j = 0; j < k; j++) {
                cum[j] /= sum;
            }
            cum[k - 1] = 1;
            for (int s = 0; s < numSamples; s++) {
                double u = gen.nextDouble();
                int lo = 0;
                int hi = k;
                while (hi > lo) {
                    int mid = lo + (hi - lo) / 2;
                    if (cum[mid] < u) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                out[r * numSamples + s] = lo;
            }
        }
        return out;
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
