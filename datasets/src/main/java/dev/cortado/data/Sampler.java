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

    /** A fresh random permutation of 0..n-1 each epoch. */
    static Sampler random(int n) {
        return new Sampler() {
            @Override
            public int[] indices(Generator generator) {
                return generator.permutation(n);
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
}
