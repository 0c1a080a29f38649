package dev.cortado.cuda;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocator's bookkeeping against a fake driver with a fixed capacity; no GPU needed. */
class CachingAllocatorTest {
    /** A driver with {@code capacity} bytes that hands out increasing addresses. */
    static final class FakeDriver implements CachingAllocator.Raw {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long used;
        long next = 4096;
        int mallocs;
        final java.util.List<String> handedOut = new java.util.ArrayList<>();

        FakeDriver(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long malloc(long bytes) {
            if (used + bytes > capacity) {
                return 0;
            }
            used += bytes;
            mallocs++;
            long a = next;
            next += bytes;
            live.put(a, bytes);
            return a;
        }

        @Override
        public void handedOut(long address, long bytes) {
            handedOut.add(address + ":" + bytes);
        }

        @Override
        public void free(long address) {
            Long bytes = live.remove(address);
            assertNotNull(bytes, "double or foreign free of " + address);
            used -= bytes;
        }
    }

    @Test
    void sizeClassesRoundSmallRequestsTo512BytesAndLargeOnesToMebibytes() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1L << 20, CachingAllocator.sizeClass((1L << 20) - 1));
        assertEquals(2L << 20, CachingAllocator.sizeClass((1L << 20) + 1));
    }

    @Test
    void aFreedBlockServesTheNextRequestOfItsClassWithoutTheDriver() {
        FakeDriver driver = new FakeDriver(1L << 30);
        CachingAllocator a = new CachingAllocator(driver, "cuda:0");
        CachingAllocator.Block b1 = a.allocate(1000);
        a.free(b1, false);
        CachingAllocator.Block b2 = a.allocate(900);
        assertEquals(b1.address(), b2.address());
        assertEquals(1, driver.mallocs);
        MemoryStats s = a.stats();
        assertEquals(1024, s.allocated());
        assertEquals(1024, s.reserved());
        assertEquals(1, s.cacheHits());
        assertEquals(java.util.List.of(b1.address() + ":1024", b1.address() + ":1024"), driver.handedOut,
                "the driver hears of every block handed out, new or cached");
    }

    @Test
    void statisticsTrackAllocatedReservedAndPeak() {
        CachingAllocator a = new CachingAllocator(new FakeDriver(1L << 30), "cuda:0");
        CachingAllocator.Block x = a.allocate(3L << 20);
        CachingAllocator.Block y = a.allocate(1L << 20);
        a.free(x, false);
        MemoryStats s = a.stats();
        assertEquals(1L << 20, s.allocated());
        assertEquals(4L << 20, s.reserved());
        assertEquals(4L << 20, s.peakAllocated());
        a.emptyCache();
        assertEquals(1L << 20, a.stats().reserved());
        a.resetPeak();
        assertEquals(1L << 20, a.stats().peakAllocated(), "a reset peak starts from what is allocated now");
        a.free(y, true);
        assertEquals(1, a.stats().releasedByGc());
        assertEquals(1L << 20, a.stats().peakAllocated());
        assertMessage(() -> a.allocate(-4), "cuda:0: cannot allocate -4 bytes");
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeDriver driver = new FakeDriver(4L << 20);
        CachingAllocator a = new CachingAllocator(driver, "cuda:0");
        a.free(a.allocate(3L << 20), false); // 3 MiB cached, 1 MiB left on the device
        CachingAllocator.Block big = a.allocate(2L << 20);
        assertEquals(2L << 20, big.bytes());
        assertEquals(2L << 20, a.stats().reserved(), "the cached 3 MiB went back to the driver");
    }

    @Test
    void outOfMemoryAfterTheRetryNamesTheDeviceSizeAndStatistics() {
        CachingAllocator a = new CachingAllocator(new FakeDriver(1L << 20), "cuda:0");
        a.allocate(512L << 10);
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> a.allocate(2L << 20));
        assertTrue(e.getMessage().contains("cuda:0 is out of memory"), e.getMessage());
        assertTrue(e.getMessage().contains("2.0 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("allocated 0.5 MiB"), e.getMessage());
    }

    @Test
    void storageReleaseReturnsItsBlockOnceAndLaterUseIsAClearError() {
        CachingAllocator a = new CachingAllocator(new FakeDriver(1L << 30), "cuda:0");
        CudaStorage s = new CudaStorage(a, Device.cuda(), DType.FLOAT32, 100);
        assertEquals(512, a.stats().allocated());
        assertEquals(s.address(0) + 40, s.address(10));
        s.release();
        s.release();
        assertEquals(0, a.stats().allocated());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.address(0));
        assertTrue(e.getMessage().contains("cuda:0: this tensor's storage (100 float32 elements) was released"), e.getMessage());
    }
}
