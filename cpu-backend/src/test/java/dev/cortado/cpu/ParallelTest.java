package dev.cortado.cpu;

import dev.cortado.tensor.Cortado;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread team: every chunk runs once, each thread starts on its own share, failures come back. */
class ParallelTest {
    private final int threadsBefore = Cortado.numThreads();

    @AfterEach
    void restoreThreads() {
        Cortado.setNumThreads(threadsBefore);
    }

    @Test
    void everyChunkRunsExactlyOnceForAnyCountAndThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            Cortado.setNumThreads(threads);
            for (int count = 1; count <= 37; count++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                Parallel.forChunks(count, runs::incrementAndGet);
                for (int i = 0; i < count; i++) {
                    assertEquals(1, runs.get(i), "chunk " + i + " of " + count + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void rangesCoverTheWholeIndexSpaceOnce() {
        Cortado.setNumThreads(2);
        int n = 100_003;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, 1000, (s, e) -> {
            for (int i = s; i < e; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @Test
    void theWorkerStartsOnItsOwnShare() throws InterruptedException {
        Cortado.setNumThreads(2);
        Thread caller = Thread.currentThread();
        AtomicInteger workersFirst = new AtomicInteger(-1);
        CountDownLatch workerStarted = new CountDownLatch(1);
        // The caller holds its first chunk until the worker has claimed one, so the worker's
        // first claim cannot depend on which thread was quicker.
        Parallel.forChunks(8, c -> {
            if (Thread.currentThread() != caller) {
                if (workersFirst.compareAndSet(-1, c)) {
                    workerStarted.countDown();
                }
                return;
            }
            try {
                workerStarted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(4, workersFirst.get(), "a worker's first chunk is the first of its share, chunks 4-7 of 8 (-1: it took none within 10 s)");
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersFinish() {
        Cortado.setNumThreads(2);
        AtomicInteger ran = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(16, c -> {
            ran.incrementAndGet();
            if (c == 11) {
                throw new IllegalArgumentException("chunk 11 failed");
            }
        }));
        assertEquals("chunk 11 failed", e.getMessage());
        assertTrue(ran.get() >= 1);
        AtomicIntegerArray runs = new AtomicIntegerArray(5);
        Parallel.forChunks(5, runs::incrementAndGet);
        for (int i = 0; i < 5; i++) {
            assertEquals(1, runs.get(i), "the team still works after a failure");
        }
    }
}
