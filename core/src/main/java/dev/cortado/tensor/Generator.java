package dev.cortado.tensor;

/**
 * A seedable random stream that draws PyTorch's CPU numbers: the same Mersenne Twister (MT19937,
 * seeded with the seed's low 32 bits), the same conversions of its words to floats and doubles,
 * and the same samplers, so that after {@code Cortado.manualSeed(s)} and {@code
 * torch.manual_seed(s)} the same calls give the same values ({@code rand}, {@code randn}, {@code
 * uniform_}, {@code normal_}, {@code exponential_} and the other fills, {@code randint}, {@code
 * randperm}, {@code multinomial}, {@code bernoulli(p)}), and a model built in the same order
 * starts from PyTorch's weights. Values are drawn on the host in a fixed order, so a seed gives
 * the same numbers whatever the device or thread count. (Masks of {@code bernoulli_(p)}, and so
 * dropout, are drawn by the device from a key taken here.)
 */
public final class Generator {
    private static final int N = 624;
    private static final int M = 397;

    /** MT19937's state; null for a {@link #light} generator, which runs xoshiro256** in s0..s3. */
    private final int[] state;
    private int next;
    private long s0;
    private long s1;
    private long s2;
    private long s3;
    /** The second of a Box–Muller pair, kept for the next one-at-a-time normal draw, as PyTorch keeps it. */
    private double cachedNormal;
    private boolean hasCachedNormal;

    public Generator(long seed) {
        this(seed, true);
    }

    private Generator(long seed, boolean pytorch) {
        state = pytorch ? new int[N] : null;
        manualSeed(seed);
    }

    /**
     * A generator with a four-word state (xoshiro256**, seeded through SplitMix64, all 64 bits of
     * the seed) and the same samplers: for the many short streams of per-sample augmentation,
     * where setting up a Mersenne Twister's 624 words for each sample took 3 µs. Its numbers are
     * not PyTorch's.
     */
    public static Generator light(long seed) {
        return new Generator(seed, false);
    }

    /** Restarts the stream, as {@code torch.manual_seed}: only the seed's low 32 bits count (a light generator's takes all 64). */
    public synchronized void manualSeed(long seed) {
        hasCachedNormal = false;
        if (state == null) {
            long x = seed;
            s0 = splitMix(x += 0x9E3779B97F4A7C15L);
            s1 = splitMix(x += 0x9E3779B97F4A7C15L);
            s2 = splitMix(x += 0x9E3779B97F4A7C15L);
            s3 = splitMix(x + 0x9E3779B97F4A7C15L);
            return;
        }
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
        next = N;
    }

    /**
     * A snapshot of the stream, as {@code torch.get_rng_state()} / {@code generator.get_state()}:
     * {@link #setState} of it makes the following draws repeat. Opaque; it belongs to the kind of
     * generator (PyTorch's or {@link #light}) that made it.
     */
    public static final class State {
        private final int[] mt;
        private final int next;
        private final long[] light;
        private final double cachedNormal;
        private final boolean hasCachedNormal;

        private State(int[] mt, int next, long[] light, double cachedNormal, boolean hasCachedNormal) {
            this.mt = mt;
            this.next = next;
            this.light = light;
            this.cachedNormal = cachedNormal;
            this.hasCachedNormal = hasCachedNormal;
        }
    }

    /** The stream's current state, to restore with {@link #setState}. */
    public synchronized State getState() {
        return new State(state == null ? null : state.clone(), next, state == null ? new long[] {s0, s1, s2, s3} : null, cachedNormal,
                hasCachedNormal);
    }

    /** Puts the stream back where {@link #getState} found it, as {@code torch.set_rng_state}. */
    public synchronized void setState(State saved) {
        if ((saved.mt == null) != (state == null)) {
            throw new IllegalArgumentException("setState: the state comes from a " + (saved.mt == null ? "light" : "PyTorch-compatible")
                    + " generator, this one is " + (state == null ? "light" : "PyTorch-compatible"));
        }
        if (state != null) {
            System.arraycopy(saved.mt, 0, state, 0, N);
            next = saved.next;
        } else {
            s0 = saved.light[0];
            s1 = saved.light[1];
            s2 = saved.light[2];
            s3 = saved.light[3];
        }
        cachedNormal = saved.cachedNormal;
        hasCachedNormal = saved.hasCachedNormal;
    }

    /** The next 32-bit word, as an unsigned value (PyTorch's {@code random()}). */
    public synchronized long nextInt32() {
        return word();
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 32-bit word, MT19937's tempered output or xoshiro256**'s high half; callers hold the lock. */
    private long word() {
        if (state == null) {
            long result = Long.rotateLeft(s1 * 5, 7) * 9;
            long t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = Long.rotateLeft(s3, 45);
            return result >>> 32;
        }
        if (next >= N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** A float uniform in [0, 1) from the next word; callers hold the lock. */
    private float unit() {
        return (word() & 0xffffff) * 0x1.0p-24f;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
            state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        next = 0;
    }

    /** Two words, the first the high half (PyTorch's {@code random64()}). */
    public synchronized long nextLong() {
        long hi = nextInt32();
        return hi << 32 | nextInt32();
    }

    /** Uniform in [0, 1) from one word's low 24 bits, exact in float32: each element of {@code torch.rand}. */
    public synchronized float nextFloat() {
        return unit();
    }

    /** Uniform in [0, 1) from two words' low 53 bits: PyTorch's double draws (bernoulli's, one-at-a-time normals'). */
    public synchronized double nextDouble() {
        return (nextLong() & ((1L << 53) - 1)) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), as PyTorch's {@code random_(0, bound)}: one word's remainder, two words' above 2³². */
    public synchronized long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextLong: bound must be positive, got " + bound);
        }
        return bound >= 1L << 32 ? Long.remainderUnsigned(nextLong(), bound) : nextInt32() % bound;
    }

    /** n uniform floats in [0, 1): {@code torch.rand(n)}. */
    public synchronized float[] uniform(int n) {
        return uniform(n, 0, 1);
    }

    /**
     * n uniform floats in [from, to): {@code tensor.uniform_(from, to)}, with PyTorch's rounding:
     * the bounds made float32 and their difference taken in float32, the draw scaled and shifted
     * in double, then rounded once.
     */
    public synchronized float[] uniform(int n, double from, double to) {
        float lo = (float) from;
        double width = (float) to - lo;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (unit() * width + lo);
        }
        return out;
    }

    /** n standard normal floats: {@code torch.randn(n)}. */
    public synchronized float[] normal(int n) {
        return normal(n, 0, 1);
    }

    /**
     * n floats from N(mean, std²), as PyTorch's CPU {@code normal_} of a contiguous float tensor:
     * from 16 elements on, all n uniforms first, then Box–Muller on each block of 16 (element j
     * and j + 8 from one pair) with the vectorised log and sincos of its AVX kernels (a last
     * partial block takes 16 fresh uniforms in place of the tensor's last 16); below 16, one
     * double draw at a time.
     */
    public synchronized float[] normal(int n, double mean, double std) {
        return normal(n, mean, std, true);
    }

    /** As {@link #normal(int, double, double)}; PyTorch draws a tensor that is not {@code contiguous} one double at a time, whatever its size. */
    public synchronized float[] normal(int n, double mean, double std, boolean contiguous) {
        float[] out = new float[n];
        if (n < 16 || !contiguous) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (nextNormal() * std + mean);
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = unit();
        }
        float m = (float) mean;
        float s = (float) std;
        for (int i = 0; i + 16 <= n; i += 16) {
            BoxMuller.fill16(out, i, m, s);
        }
        if (n % 16 != 0) {
            for (int i = n - 16; i < n; i++) {
                out[i] = unit();
            }
            BoxMuller.fill16(out, n - 16, m, s);
        }
        return out;
    }

    /** One standard normal double, the cached second of the last pair if there is one: PyTorch's {@code normal_distribution<double>}. */
    public synchronized double nextNormal() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = nextDouble();
        double u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log1p(-u2));
        double theta = 2 * Math.PI * u1;
        cachedNormal = r * Math.sin(theta);
        hasCachedNormal = true;
        return r * Math.cos(theta);
    }

    /** A permutation of 0..n-1, as {@code torch.randperm(n)}: position i swapped with i + (word mod (n − i)), for i from 0. */
    public synchronized int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int j = i + (int) (word() % (n - i));
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
