package dev.cortado.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory by size class, like PyTorch's caching allocator: a freed block goes to a free
 * list and serves the next request of its class without a driver call (cudaMalloc and cudaFree
 * synchronise the device and cost tens of microseconds). Everything runs on one stream, so a
 * block freed while a kernel still reads it is only reused by work queued after that kernel.
 * When the driver runs out of memory, the cache is emptied and the request tried once more.
 */
final class CachingAllocator {
    /** Requests below this round up to a multiple of {@link #SMALL_STEP}; larger ones to {@link #LARGE_STEP}. */
    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_STEP = 512;
    static final long LARGE_STEP = 1L << 20;

    /** What the allocator asks of the driver; a fake in tests. */
    interface Raw {
        /** A new block, or 0 when the device has no room. */
        long malloc(long bytes);

        void free(long address);

        /**
         * Called for every block handed out, new or from the cache. A GPU does nothing: the block
         * holds whatever it held. The emulated device fills it with bytes that read as NaN and -1,
         * so an op that reads memory it never wrote fails its test however the block was used last.
         */
        default void handedOut(long address, long bytes) {
        }
    }

    /** A block handed out: its address and its rounded size. */
    record Block(long address, long bytes) {
    }

    private final Raw raw;
    private final String device;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long allocated;
    private long reserved;
    private long peak;
    private long driverAllocations;
    private long cacheHits;
    private long releasedByGc;

    CachingAllocator(Raw raw, String device) {
        this.raw = raw;
        this.device = device;
    }

    /** The size class of a request of {@code bytes} (at least one step, so empty tensors get a real address). */
    static long sizeClass(long bytes) {
        long step = bytes < SMALL_LIMIT ? SMALL_STEP : LARGE_STEP;
        return Math.max(step, (bytes + step - 1) / step * step);
    }

    synchronized Block allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(device + ": cannot allocate " + bytes + " bytes");
        }
        long size = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(size);
        long address;
        if (list != null && !list.isEmpty()) {
            address = list.pop();
            cacheHits++;
        } else {
            address = raw.malloc(size);
            if (address == 0) {
                emptyCache();
                address = raw.malloc(size);
            }
            if (address == 0) {
                throw new OutOfMemoryError(String.format("%s is out of memory: could not allocate %.1f MiB (%s); free tensors with "
                        + "MemoryScope or Tensor.close(), or use a smaller batch", device, MemoryStats.mib(size), stats()));
            }
            driverAllocations++;
            reserved += size;
        }
        allocated += size;
        peak = Math.max(peak, allocated);
        raw.handedOut(address, size);
        return new Block(address, size);
    }

    /** Returns a block to its free list; {@code byGc} counts blocks that only the garbage collector gave back. */
    synchronized void free(Block block, boolean byGc) {
        allocated -= block.bytes();
        if (byGc) {
            releasedByGc++;
        }
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.address());
    }

    /** Gives every cached block back to the driver, like {@code torch.cuda.empty_cache()}. */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
            for (long address : e.getValue()) {
                raw.free(address);
                reserved -= e.getKey();
            }
        }
        free.clear();
    }

    synchronized void resetPeak() {
        peak = allocated;
    }

    synchronized MemoryStats stats() {
        return new MemoryStats(allocated, reserved, peak, driverAllocations, cacheHits, releasedByGc);
    }
}
