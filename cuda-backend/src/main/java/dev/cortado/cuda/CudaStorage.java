package dev.cortado.cuda;

import dev.cortado.backend.Storage;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Cleaner;

/**
 * Device memory of one tensor's storage. It goes back to the caching allocator when released
 * (Tensor.close(), a MemoryScope) or, as a safety net only, when the garbage collector finds it
 * unreachable; with {@code -Dcortado.cuda.leaks=report} the latter is logged with the stack of
 * the allocation, to find the code that should have closed it.
 */
final class CudaStorage implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(CudaStorage.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final DType dtype;
    private final int size;
    private final Reclaim reclaim;
    private final Cleaner.Cleanable cleanable;

    /**
     * The release action. It must not refer to the storage (or the Cleaner could never run), so
     * it holds the block and the allocator itself.
     */
    private static final class Reclaim implements Runnable {
        final CachingAllocator allocator;
        final CachingAllocator.Block block;
        final Throwable site;
        volatile boolean explicit;

        Reclaim(CachingAllocator allocator, CachingAllocator.Block block, Throwable site) {
            this.allocator = allocator;
            this.block = block;
            this.site = site;
        }

        @Override
        public void run() {
            if (!explicit && site != null) {
                LOG.warn("a CUDA tensor storage of {} bytes was freed by the garbage collector, not by close() or a MemoryScope; "
                        + "allocated at:", block.bytes(), site);
            }
            allocator.free(block, !explicit);
        }
    }

    CudaStorage(CachingAllocator allocator, Device device, DType dtype, int size) {
        this.device = device;
        this.dtype = dtype;
        this.size = size;
        CachingAllocator.Block block = allocator.allocate((long) size * elementBytes(dtype));
        this.reclaim = new Reclaim(allocator, block, CudaSettings.reportLeaks() ? new Throwable("allocation site") : null);
        this.cleanable = CLEANER.register(this, reclaim);
    }

    static int elementBytes(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> Float.BYTES;
            case INT64 -> Long.BYTES;
        };
    }

    /** Device address of element {@code index}; fails once the storage is released. */
    long address(int index) {
        if (reclaim.explicit) {
            throw new IllegalStateException(device + ": this tensor's storage (" + size + " " + dtype
                    + " elements) was released by close() or a MemoryScope and cannot be used any more");
        }
        return reclaim.block.address() + (long) index * elementBytes(dtype);
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean releasable() {
        return true;
    }

    @Override
    public void release() {
        if (!reclaim.explicit) {
            reclaim.explicit = true;
            cleanable.clean();
        }
    }
}
