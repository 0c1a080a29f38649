package dev.cortado.cuda;

/**
 * A device's memory as the caching allocator sees it, in bytes: held by live tensors
 * ({@code allocated}), obtained from the driver ({@code reserved}, which includes the cache of
 * freed blocks), and the highest {@code allocated} so far; like {@code torch.cuda.memory_stats}.
 */
public record MemoryStats(long allocated, long reserved, long peakAllocated, long driverAllocations, long cacheHits, long releasedByGc) {
    @Override
    public String toString() {
        return String.format("allocated %.1f MiB, reserved %.1f MiB, peak %.1f MiB (%d cudaMalloc calls, %d cache hits, %d blocks freed by the GC)",
                mib(allocated), mib(reserved), mib(peakAllocated), driverAllocations, cacheHits, releasedByGc);
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
