package dev.cortado.data;

import dev.cortado.tensor.Generator;

/**
 * The order in which a {@link DataLoader} visits sample indices in one epoch, like
 * {@code torch.utils.data.Sampler}. Random samplers draw from the generator they are given, so
 * a loader's seed fixes every epoch's order.
 */
public interface Sampler {
    /** Indices for one epoch. */
    int[] indices(Generator generator);

    /** How many indices each epoch yields. */
    int length();

    /** 0, 1, ..., n-1. */
    static Sampler sequential(int n) {
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = i;
                }
                return out;
            }

            @Override
            public int length() {
                return n;
            }
        };
    }

    /**
     * A fresh random permutation of 0..n-1 each epoch, as PyTorch's {@code RandomSampler}: which
     * draws a second permutation for the remainder of num_samples over n, used or not, so a
     * whole epoch takes two permutations' draws from the generator here too.
     */
    static Sampler random(int n) {
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                int[] order = generator.permutation(n);
                generator.permutation(n);
                return order;
            }

            @Override
            public int length() {
                return n;
            }
        };
    }

    /** {@code SubsetRandomSampler(indices)}: the given indices in a fresh random order each epoch. */
    static Sampler subsetRandom(int[] indices) {
        int[] own = indices.clone();
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                int[] perm = generator.permutation(own.length);
                int[] out = new int[own.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = own[perm[i]];
                }
                return out;
            }

            @Override
            public int length() {
                return own.length;
            }
        };
    }

    /** {@code RandomSampler(replacement=True, num_samples)}: numSamples indices drawn uniformly from 0..n-1, repeats allowed. */
    static Sampler randomWithReplacement(int n, int numSamples) {
        if (n <= 0 || numSamples < 0) {
            throw new IllegalArgumentException("RandomSampler: needs a non-empty dataset and a non-negative num_samples, got " + n + " and "
                    + numSamples);
        }
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                int[] out = new int[numSamples];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (int) generator.nextLong(n);
                }
                return out;
            }

            @Override
            public int length() {
                return numSamples;
            }
        };
    }

    /**
     * {@code WeightedRandomSampler(weights, num_samples, replacement)}: index i drawn with
     * probability proportional to weights[i] (to balance classes, one over each sample's class
     * frequency). Without replacement each index comes at most once, in a weighted random order.
     */
    static Sampler weightedRandom(double[] weights, int numSamples, boolean replacement) {
        double[] w = weights.clone();
        int positive = 0;
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
                throw new IllegalArgumentException("WeightedRandomSampler: weights must be finite and non-negative, got " + w[i] + " at " + i);
            }
            positive += w[i] > 0 ? 1 : 0;
            total += w[i];
        }
        if (numSamples < 0 || total == 0 && numSamples > 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: needs num_samples >= 0 and some positive weight, got num_samples="
                    + numSamples + " and weights summing to " + total);
        }
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples + " samples without replacement from "
                    + positive + " indices of positive weight");
        }
        // PyTorch's torch.multinomial on the double weights: with replacement, the normalised
        // running sums searched for a uniform draw; without, each weight over an Exp(1) draw, the
        // largest quotients first.
        double[] cumulative = new double[w.length];
        double running = 0;
        for (int i = 0; i < w.length; i++) {
            running += w[i];
            cumulative[i] = running;
        }
        for (int i = 0; i < w.length; i++) {
            cumulative[i] /= running;
        }
        cumulative[w.length - 1] = 1;
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                int[] out = new int[numSamples];
                if (replacement) {
                    for (int i = 0; i < out.length; i++) {
                        double u = generator.nextDouble();
                        int lo = 0;
                        int hi = w.length;
                        while (hi > lo) {
                            int mid = lo + (hi - lo) / 2;
                            if (cumulative[mid] < u) {
                                lo = mid + 1;
                            } else {
                                hi = mid;
                            }
                        }
                        out[i] = lo;
                    }
                    return out;
                }
                Integer[] order = new Integer[w.length];
                double[] keys = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    order[i] = i;
                    keys[i] = w[i] / -Math.log(1 - generator.nextDouble());
                }
                java.util.Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
                for (int i = 0; i < out.length; i++) {
                    out[i] = order[i];
                }
                return out;
            }

            @Override
            public int length() {
                return numSamples;
            }
        };
    }
}
