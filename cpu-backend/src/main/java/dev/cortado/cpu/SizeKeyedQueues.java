package dev.cortado.cpu;

import java.util.ArrayDeque;

/**
 * A queue per array length, looked up by the int itself: a {@code HashMap<Integer, ...>} boxed
 * every length above 127 on each take and give, a few per cent of a recurrent layer's step.
 * Open addressing with linear probing, never shrinking (a program uses few distinct sizes). Not
 * thread-safe: {@link CpuPool} locks around it.
 */
final class SizeKeyedQueues<A> {
    private int[] keys = new int[64];
    private Object[] queues = new Object[64];
    private int count;

    /** The queue for size, or null when none was made. */
    @SuppressWarnings("unchecked")
    ArrayDeque<A> get(int size) {
        int i = slot(keys, queues, size);
        return (ArrayDeque<A>) queues[i];
    }

    /** The queue for size, made empty on first use. */
    @SuppressWarnings("unchecked")
    ArrayDeque<A> getOrCreate(int size) {
        int i = slot(keys, queues, size);
        if (queues[i] == null) {
            if (2 * (count + 1) > keys.length) {
                grow();
                i = slot(keys, queues, size);
            }
            keys[i] = size;
            queues[i] = new ArrayDeque<A>();
            count++;
        }
        return (ArrayDeque<A>) queues[i];
    }

    /** Where size is, or the empty slot where it would go. */
    private static int slot(int[] keys, Object[] queues, int size) {
        int mask = keys.length - 1;
        int i = (size * 0x9E3779B9) >>> 16 & mask;
        while (queues[i] != null && keys[i] != size) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldQueues = queues;
        keys = new int[oldKeys.length * 2];
        queues = new Object[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldQueues[j] != null) {
                int i = slot(keys, queues, oldKeys[j]);
                keys[i] = oldKeys[j];
                queues[i] = oldQueues[j];
            }
        }
    }
}
