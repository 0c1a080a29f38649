package dev.cortado.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LazyTest {
    @Test
    void makesTheValueOnFirstUseOnly() {
        AtomicInteger made = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            return new Object();
        });
        assertNull(lazy.ifMade(), "nothing asked for it yet");
        assertEquals(0, made.get());
        Object first = lazy.get();
        assertSame(first, lazy.get());
        assertSame(first, lazy.ifMade());
        assertEquals(1, made.get());
    }

    @Test
    void threadsRacingForItShareOneValue() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            made.incrementAndGet();
            Thread.onSpinWait();
            return new Object();
        });
        CountDownLatch start = new CountDownLatch(1);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                seen.add(lazy.get());
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, made.get(), "the value is made once");
        assertEquals(8, seen.size());
        for (Object o : seen) {
            assertSame(seen.get(0), o);
        }
    }

    /** A failure (a library that would not load, a compilation error) is thrown to the caller and tried again next time. */
    @Test
    void aFailedMakeIsTriedAgain() {
        AtomicInteger tries = new AtomicInteger();
        Lazy<String> lazy = new Lazy<>(() -> {
            if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("first try fails");
            }
            return "made";
        });
        assertThrows(IllegalStateException.class, lazy::get);
        assertNull(lazy.ifMade());
        assertEquals("made", lazy.get());
        assertEquals(2, tries.get());
    }
}
