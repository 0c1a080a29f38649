package dev.cortado.cuda;

import java.util.function.Supplier;

/**
 * A value made on first use, once, by whichever thread asks first: a GPU's compiled kernels and
 * library handles cost a compilation or a context, and many programs never need all of them.
 */
final class Lazy<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
        this.make = make;
    }

    T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = make.get();
                    value = v;
                }
            }
        }
        return v;
    }

    /** The value, or null when nothing has asked for it yet. */
    T ifMade() {
        return value;
    }
}
