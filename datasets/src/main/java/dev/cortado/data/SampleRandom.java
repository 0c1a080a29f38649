package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Generator;

/**
 * Where random transforms draw from. A {@link DataLoader} installs, around each sample it loads,
 * a generator seeded by (loader seed, epoch, sample index), so augmentation is the same whichever
 * worker thread loads the sample; outside a loader, the default generator is used.
 */
public final class SampleRandom {
    private static final ThreadLocal<Seeded> CURRENT = new ThreadLocal<>();

    private SampleRandom() {
    }

    public static Generator current() {
        Seeded s = CURRENT.get();
        return s != null ? s.generator() : Cortado.defaultGenerator();
    }

    static <T> T with(long seed, long epoch, int index, java.util.function.IntFunction<T> load) {
        Seeded previous = CURRENT.get();
        CURRENT.set(new Seeded(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index));
        try {
            return load.apply(index);
        } finally {
            CURRENT.set(previous);
        }
    }

    /** A sample's generator, made at its first draw: a pipeline that draws nothing sets up none. */
    private static final class Seeded {
        private final long key;
        private Generator generator;

        Seeded(long key) {
            this.key = key;
        }

        Generator generator() {
            if (generator == null) {
                generator = Generator.light(key);
            }
            return generator;
        }
    }
}
