package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.cuda.driver.Scratch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * A GPU emulated in host memory, for the backend's tests on machines without one: kernels run
 * through {@link KernelEmulator}, cuBLAS and cuDNN calls by their documented definitions. It
 * checks what a real device would only get wrong silently or crash on: every copy, GEMM operand
 * and convolution tensor must lie inside one live allocation, leading dimensions must satisfy
 * cuBLAS's rules, and the guard bytes around each allocation must be intact after every kernel
 * (a read past an allocation gets NaN from them).
 * New memory is filled with 0xFF bytes (NaN as float32, -1 as int64), like uninitialised device
 * memory that happens to hold garbage.
 */
final class EmulatedRuntime implements DeviceRuntime {
    private static final long GUARD = 256;

    /**
     * The guard bytes, by offset mod 4 in the allocation: every aligned float32 in a guard is the
     * NaN 0x7FA5A5A5, so a kernel that reads past an allocation gets NaN into its results.
     */
    private static byte guard(long offset) {
        return offset % 4 == 3 ? (byte) 0x7F : (byte) 0xA5;
    }

    private record Block(Arena arena, MemorySegment whole, long bytes) {
        long address() {
            return whole.address() + GUARD;
        }
    }

    private final long capacity;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private long used;

    /** A device with {@code capacity} bytes of memory. */
    EmulatedRuntime(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public void bind() {
    }

    @Override
    public synchronized long malloc(long bytes) {
        if (used + bytes > capacity) {
            return 0;
        }
        Arena arena = Arena.ofShared();
        MemorySegment whole = arena.allocate(bytes + 2 * GUARD, 256);
        for (long i = 0; i < GUARD; i++) {
            whole.set(ValueLayout.JAVA_BYTE, i, guard(i));
            whole.set(ValueLayout.JAVA_BYTE, GUARD + bytes + i, guard(GUARD + bytes + i));
        }
        whole.asSlice(GUARD, bytes).fill((byte) 0xFF);
        Block b = new Block(arena, whole, bytes);
        live.put(b.address(), b);
        used += bytes;
        return b.address();
    }

    /** A block the caching allocator hands out, new or reused, reads as new memory does until written. */
    @Override
    public void handedOut(long address, long bytes) {
        memory(address, bytes, "a block handed out").fill((byte) 0xFF);
    }

    @Override
    public synchronized void free(long address) {
        Block b = live.remove(address);
        if (b == null) {
            throw new IllegalStateException("emulated cuda: free of 0x" + Long.toHexString(address) + ", which is not a live allocation");
        }
        checkGuards(b, "free");
        used -= b.bytes();
        b.arena().close();
    }

    private static void checkGuards(Block b, String after) {
        long end = GUARD + b.bytes();
        for (long i = 0; i < GUARD; i++) {
            boolean before = b.whole().get(ValueLayout.JAVA_BYTE, i) != guard(i);
            if (before || b.whole().get(ValueLayout.JAVA_BYTE, end + i) != guard(end + i)) {
                throw new IllegalStateException("emulated cuda: " + after + " wrote outside the allocation of " + b.bytes() + " bytes at 0x"
                        + Long.toHexString(b.address()) + " (a guard byte " + (before ? "before" : "after") + " it changed)");
            }
        }
    }

    /** The live allocations as (address, bytes) pairs in ascending order. */
    private synchronized long[] liveAllocations() {
        long[] pairs = new long[2 * live.size()];
        int i = 0;
        for (Block b : live.values()) {
            pairs[i++] = b.address();
            pairs[i++] = b.bytes();
        }
        return pairs;
    }

    /** The memory [address, address + bytes), which must lie inside one live allocation. */
    private synchronized MemorySegment memory(long address, long bytes, String what) {
        Map.Entry<Long, Block> e = live.floorEntry(address);
        if (bytes < 0 || e == null || address + bytes > e.getKey() + e.getValue().bytes()) {
            throw new IllegalStateException("emulated cuda: " + what + " reads or writes " + bytes + " bytes at 0x" + Long.toHexString(address)
                    + ", outside every live allocation" + (e == null ? "" : " (the nearest below holds " + e.getValue().bytes() + " bytes at 0x"
                    + Long.toHexString(e.getKey()) + ")"));
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    @Override
    public void copy(long dst, long src, long bytes) {
        if (bytes > 0) {
            memory(dst, bytes, "cudaMemcpy (device to device) destination").copyFrom(memory(src, bytes, "cudaMemcpy source"));
        }
    }

    @Override
    public void upload(long dst, float[] src) {
        MemorySegment.copy(src, 0, memory(dst, 4L * src.length, "upload"), ValueLayout.JAVA_FLOAT, 0, src.length);
    }

    @Override
    public void upload(long dst, long[] src) {
        MemorySegment.copy(src, 0, memory(dst, 8L * src.length, "upload"), ValueLayout.JAVA_LONG, 0, src.length);
    }

    @Override
    public void download(float[] dst, long src) {
        MemorySegment.copy(memory(src, 4L * dst.length, "download"), ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
    }

    @Override
    public void download(long[] dst, long src) {
        MemorySegment.copy(memory(src, 8L * dst.length, "download"), ValueLayout.JAVA_LONG, 0, dst, 0, dst.length);
    }

    @Override
    public void launch(String kernel, int grid, int block, LaunchArgs args) {
        KernelEmulator.launch(kernel, grid, block, args, liveAllocations());
        synchronized (this) {
            for (Block b : live.values()) {
                checkGuards(b, "kernel " + kernel);
            }
        }
    }

    // ---- cuBLAS ----------------------------------------------------------------------------------

    /** A column-major rows × cols operand with leading dimension ld, repeated batch times at stride. */
    private MemorySegment matrix(String name, long address, int rows, int cols, int ld, long stride, int batch) {
        if (ld < Math.max(1, rows)) {
            throw new IllegalStateException("cublasSgemmStridedBatched: CUBLAS_STATUS_INVALID_VALUE, ld" + name + " = " + ld + " < max(1, "
                    + rows + ")");
        }
        long elements = rows == 0 || cols == 0 || batch == 0 ? 0 : (batch - 1) * stride + (long) (cols - 1) * ld + rows;
        return memory(address, 4 * elements, "cublasSgemmStridedBatched operand " + name);
    }

    @Override
    public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                                    long strideB, long c, int ldc, long strideC, int batch) {
        if (m < 0 || n < 0 || k < 0 || batch < 0) {
            throw new IllegalStateException("cublasSgemmStridedBatched: CUBLAS_STATUS_INVALID_VALUE, m=" + m + " n=" + n + " k=" + k);
        }
        float[] fa = matrix("a", a, transA ? k : m, transA ? m : k, lda, strideA, batch).toArray(ValueLayout.JAVA_FLOAT);
        float[] fb = matrix("b", b, transB ? n : k, transB ? k : n, ldb, strideB, batch).toArray(ValueLayout.JAVA_FLOAT);
        MemorySegment mc = matrix("c", c, m, n, ldc, strideC, batch);
        for (int p = 0; p < batch; p++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double acc = 0;
                    for (int l = 0; l < k; l++) {
                        long ia = p * strideA + (transA ? l + (long) i * lda : i + (long) l * lda);
                        long ib = p * strideB + (transB ? j + (long) l * ldb : l + (long) j * ldb);
                        acc += (double) fa[(int) ia] * fb[(int) ib];
                    }
                    mc.setAtIndex(ValueLayout.JAVA_FLOAT, p * strideC + i + (long) j * ldc, (float) acc);
                }
            }
        }
    }

    // ---- events: work runs to completion when launched, so an event's time is when it was recorded ----

    private final Map<Long, Long> events = new java.util.HashMap<>();
    private long nextEvent = 1;

    private synchronized long event(long handle, String call) {
        Long t = events.get(handle);
        if (t == null) {
            throw new IllegalStateException("emulated cuda: " + call + " on event " + handle + ", which does not exist (destroyed?)");
        }
        return t;
    }

    @Override
    public synchronized long eventCreate() {
        events.put(nextEvent, -1L);
        return nextEvent++;
    }

    @Override
    public synchronized void eventRecord(long event) {
        event(event, "cudaEventRecord");
        events.put(event, System.nanoTime());
    }

    @Override
    public boolean eventQuery(long event) {
        event(event, "cudaEventQuery");
        return true;
    }

    @Override
    public void eventSynchronize(long event) {
        event(event, "cudaEventSynchronize");
    }

    @Override
    public float eventElapsedMs(long start, long end) {
        long a = event(start, "cudaEventElapsedTime");
        long b = event(end, "cudaEventElapsedTime");
        if (a < 0 || b < 0) {
            throw new IllegalStateException("cudaEventElapsedTime: cudaErrorInvalidResourceHandle (an event was never recorded)");
        }
        return (b - a) / 1e6f;
    }

    @Override
    public synchronized void eventDestroy(long event) {
        event(event, "cudaEventDestroy");
        events.remove(event);
    }

    @Override
    public void setTf32(boolean on) {
    }

    /** The emulated convolutions add in one order only. */
    @Override
    public void setDeterministic(boolean on) {
    }

    @Override
    public void synchronize() {
    }

    @Override
    public Gpu.Info info() {
        return new Gpu.Info(0, "emulated", 0, 0, capacity, 0, 0, 0, 0, 0, "none");
    }

    // ---- cuDNN (NCHW, cross-correlation, groups) ---------------------------------------------------

    @Override
    public void convForward(ConvShape s, long x, long w, long y, Scratch scratch) {
        new EmulatedConv(s, this::memory, scratch).forward(x, w, y);
    }

    @Override
    public void convBackwardData(ConvShape s, long dy, long w, long dx, Scratch scratch) {
        new EmulatedConv(s, this::memory, scratch).backwardData(dy, w, dx);
    }

    @Override
    public void convBackwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch) {
        new EmulatedConv(s, this::memory, scratch).backwardFilter(x, dy, dw);
    }
}
