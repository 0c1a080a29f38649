package dev.cortado.tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * int64 0..n−1 on a device, made once per length and device: the positions that a one-hot
 * comparison needs in a backward pass or a loss. An upload per call would make a GPU wait for
 * everything queued before it, in the middle of a step.
 */
final class Positions {
    /** Longer ranges are uploaded each time rather than kept for the life of the program. */
    private static final int MAX_KEPT = 1 << 16;
    private static final Map<Device, Map<Integer, Tensor>> KEPT = new ConcurrentHashMap<>();

    private Positions() {
    }

    static Tensor upTo(int n, Device device) {
        if (n > MAX_KEPT) {
            return make(n, device);
        }
        return KEPT.computeIfAbsent(device, d -> new ConcurrentHashMap<>()).computeIfAbsent(n, k -> MemoryScope.keep(make(n, device)));
    }

    private static Tensor make(int n, Device device) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Creation.fromLongs(v, new int[] {n}, device);
    }
}
