package dev.cortado.cuda;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device memory of CUDA tensors on the emulated device: scopes and close() give it back to the
 * caching allocator, the garbage collector does as a safety net, a released tensor says so, and
 * running out of memory names the device and the request.
 */
class EmulatedMemoryTest {
    private static final Device GPU = EmulatedCudaProvider.DEVICE;

    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Test
    void aScopeGivesBackWhatWasMadeInsideItButWhatItKeeps() {
        long before = EmulatedCudaProvider.stats().allocated();
        Tensor kept;
        try (var scope = MemoryScope.open()) {
            Tensor a = Tensor.ones(new int[] {1000}, DType.FLOAT32, GPU);
            Tensor b = a.mul(3).add(1);
            kept = MemoryScope.keep(b.sum());
            assertTrue(EmulatedCudaProvider.stats().allocated() >= before + 2 * CachingAllocator.sizeClass(4000));
        }
        assertEquals(before + CachingAllocator.sizeClass(4), EmulatedCudaProvider.stats().allocated());
        assertEquals(4000.0, kept.item());
        kept.close();
        assertEquals(before, EmulatedCudaProvider.stats().allocated());
        assertMessage(kept::item, GPU.toString(), "was released by close() or a MemoryScope");
    }

    @Test
    void theGarbageCollectorGivesBackWhatNobodyClosed() throws InterruptedException {
        long gcBefore = EmulatedCudaProvider.stats().releasedByGc();
        for (int i = 0; i < 10; i++) {
            Tensor.ones(new int[] {100}, DType.FLOAT32, GPU);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (EmulatedCudaProvider.stats().releasedByGc() == gcBefore && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(EmulatedCudaProvider.stats().releasedByGc() > gcBefore, "no unreachable tensor was freed by the Cleaner");
    }

    /** A block the cache hands out again reads as fresh memory, not as what its last tensor left in it. */
    @Test
    void aReusedBlockReadsAsNewMemory() {
        Tensor a = Tensor.ones(new int[] {100}, DType.FLOAT32, GPU);
        a.close();
        long hits = EmulatedCudaProvider.stats().cacheHits();
        Tensor b = Tensor.empty(new int[] {100}, DType.FLOAT32, GPU);
        assertTrue(EmulatedCudaProvider.stats().cacheHits() > hits, "the block came from the cache");
        for (float v : b.toFloatArray()) {
            assertTrue(Float.isNaN(v), "a reused block still holds " + v);
        }
        b.close();
        Tensor c = Tensor.empty(new int[] {100}, DType.INT64, GPU);
        for (long v : c.toLongArray()) {
            assertEquals(-1, v);
        }
        c.close();
    }

    @Test
    void thePeakStartsAnewWhenReset() {
        CudaBackend b = EmulatedCudaProvider.backend();
        Tensor big = Tensor.ones(new int[] {1 << 18}, DType.FLOAT32, GPU);
        long withBig = b.stats(0).allocated();
        big.close();
        assertTrue(b.stats(0).peakAllocated() >= withBig);
        b.resetPeak(0);
        assertEquals(b.stats(0).allocated(), b.stats(0).peakAllocated());
        assertTrue(b.stats(0).peakAllocated() < withBig);
    }

    /** With the report on, a tensor nobody closed is logged when the collector frees it, with the stack that made it. */
    @Test
    void theLeakReportNamesWhereAnUnclosedTensorWasMade() throws InterruptedException {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        CudaSettings.setReportLeaks(true);
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            leakOne();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!report(captured).contains("leakOne") && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
        } finally {
            System.setErr(err);
            CudaSettings.setReportLeaks(false);
        }
        String report = report(captured);
        assertTrue(report.contains("a CUDA tensor storage of 1536 bytes was freed by the garbage collector, not by close() or a MemoryScope"),
                report);
        assertTrue(report.contains("EmulatedMemoryTest.leakOne("), "the allocation's stack names the method that made the tensor: " + report);
    }

    private static void leakOne() {
        Tensor.ones(new int[] {3, 127}, DType.FLOAT32, GPU);
    }

    private static String report(java.io.ByteArrayOutputStream captured) {
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void runningOutOfMemoryNamesTheDeviceAndTheRequest() {
        int elements = (int) (EmulatedCudaProvider.CAPACITY / Float.BYTES) + 1024;
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> Tensor.zeros(new int[] {elements}, DType.FLOAT32, GPU));
        assertTrue(e.getMessage().contains(GPU + " is out of memory: could not allocate 1025.0 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("MemoryScope"), e.getMessage());
        Tensor small = Tensor.ones(new int[] {3}, DType.FLOAT32, GPU);
        assertEquals(3.0, small.sum().item(), "the device still works after the failed request");
    }

    @Test
    void anOpOnTwoDevicesThrowsInsteadOfCopying() {
        Tensor onGpu = Tensor.ones(new int[] {3}, DType.FLOAT32, GPU);
        Tensor onHost = Tensor.ones(new int[] {3}, DType.FLOAT32, ReferenceBackend.DEVICE);
        assertMessage(() -> onGpu.add(onHost), GPU.toString(), ReferenceBackend.DEVICE.toString());
        assertEquals(6.0, onGpu.add(onHost.to(GPU)).sum().item());
    }
}
