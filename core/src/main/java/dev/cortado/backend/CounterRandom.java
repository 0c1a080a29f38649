package dev.cortado.backend;

/**
 * The uniform draws that a backend makes on its own device: element i of a draw keyed by
 * {@code key} is a pure function of (key, i), SplitMix64's finaliser over the key plus i + 1
 * golden-ratio increments (the stream of {@code java.util.SplittableRandom}). A device computes
 * any element independently of the others, with no generator state to carry or upload, and
 * every backend gets the very bits the host would: integer arithmetic and a 24-bit fraction
 * that float32 holds exactly. Core draws one key per tensor from the seeded {@code Generator},
 * so {@code Cortado.manualSeed} still makes every draw repeatable.
 */
public final class CounterRandom {
    /** The golden-ratio increment of SplitMix64. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private CounterRandom() {
    }

    /** The 64 random bits of element i under key. */
    public static long bits(long key, long i) {
        long z = key + (i + 1) * GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1): the top 24 bits of element i, as a float32 multiple of 2^-24. */
    public static float uniform(long key, long i) {
        return (bits(key, i) >>> 40) * 0x1.0p-24f;
    }

    /** 1 where element i's uniform draw lies below p (rounded to float32), else 0: a Bernoulli(p) sample. */
    public static float bernoulli(long key, long i, float p) {
        return uniform(key, i) < p ? 1f : 0f;
    }
}
