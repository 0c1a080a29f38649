package dev.cortado.tensor;

import dev.cortado.backend.Storage;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What core knows, without reading a device, about the values in int64 storage: the range of
 * the host array it was filled from, until anything writes to it in place. A class-index loss
 * checks its targets against this instead of reading them back, which on a GPU would wait for
 * every queued kernel in the middle of the step.
 */
public final class Int64Range {
    /** {min, max} per storage filled from a host array; weak, so storage is collected as before. */
    private static final Map<Storage, long[]> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());

    private Int64Range() {
    }

    /**
     * Whether every element of t is known to lie in [lo, hi): true only for int64 tensors whose
     * storage was filled from host values (an upload, {@code fromArray}) and not written since.
     * False means only "unknown"; the caller then reads the values.
     */
    public static boolean knownWithin(Tensor t, long lo, long hi) {
        if (t.dtype() != DType.INT64) {
            return false;
        }
        long[] r = KNOWN.get(t.storage);
        return r != null && r[0] >= lo && r[1] < hi;
    }

    /**
     * The smallest and largest value of a non-empty int64 tensor, read back together (on a GPU,
     * one wait for the queue). What is known here is only a bound (a gather inherits its
     * source's), so callers that need no more than a bound ask {@link #knownWithin} first.
     */
    static long[] of(Tensor t) {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            return Joining.stack(java.util.List.of(t.min(), t.max()), 0).toLongArray();
        }
    }

    /** Remembers the range of the host values that filled storage. */
    static void filled(Storage storage, long[] values) {
        if (values.length == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        KNOWN.put(storage, new long[] {min, max});
    }

    /** Remembers that storage, just computed, holds only values in [lo, hi] (positions core derived itself). */
    static void bounded(Storage storage, long lo, long hi) {
        KNOWN.put(storage, new long[] {lo, hi});
    }

    /** Gives out, whose values were all picked from t, t's range when that is known. */
    static void inherit(Storage out, Tensor t) {
        long[] r = t.dtype() == DType.INT64 ? KNOWN.get(t.storage) : null;
        if (r != null) {
            KNOWN.put(out, r.clone());
        }
    }

    /** Forgets storage's range: something is about to write to it. */
    static void written(Storage storage) {
        if (storage.dtype() == DType.INT64) { // only int64 storage is ever remembered; spares the optimizers' writes the lock
            KNOWN.remove(storage);
        }
    }
}
