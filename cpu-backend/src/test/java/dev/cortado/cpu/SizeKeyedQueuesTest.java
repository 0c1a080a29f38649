package dev.cortado.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SizeKeyedQueuesTest {
    @Test
    void eachSizeKeepsItsOwnQueueThroughGrowth() {
        SizeKeyedQueues<float[]> q = new SizeKeyedQueues<>();
        assertNull(q.get(2048), "no queue before the first give");
        // Sizes that collide in a small table (multiples of a power of two) and more than it holds.
        int[] sizes = new int[500];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 2048 + (i % 2 == 0 ? i * 65536 : i * 3);
            q.getOrCreate(sizes[i]).addLast(new float[0]);
            q.getOrCreate(sizes[i]).addLast(new float[1]);
        }
        for (int size : sizes) {
            ArrayDeque<float[]> d = q.get(size);
            assertEquals(2, d.size(), "size " + size);
            assertSame(d, q.getOrCreate(size));
        }
        assertNull(q.get(7), "a size never given");
    }
}
