package dev.cortado.cuda;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Normalization;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two GPUs of one backend: each has its own memory, allocator and library handles, so work on the
 * second one that used the first one's by mistake fails its launch (a pointer outside the
 * launching device's allocations) or shows in the wrong allocator's statistics.
 */
abstract class TwoDevicesContract {
    protected abstract CudaBackend backend();

    protected abstract Device first();

    protected abstract Device second();

    /** A convolution, batch norm and product with their gradients: the same bits on either device. */
    private static float[][] step(Device device) {
        Tensor x = randn(1, device, 4, 3, 7, 7).requiresGrad_(true);
        Tensor w = randn(2, device, 5, 3, 3, 3).requiresGrad_(true);
        Tensor bnWeight = randn(3, device, 5).requiresGrad_(true);
        Tensor v = randn(4, device, 5 * 5 * 5, 2).requiresGrad_(true);
        Tensor y = Normalization.batchNorm(Convolution.conv2d(x, w, null, ConvOptions.DEFAULT), null, null, bnWeight, null, true, 0.1, 1e-5)
                .relu().reshape(4, 5 * 5 * 5).matmul(v);
        y.mul(y).sum().backward();
        return new float[][] {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(), bnWeight.grad().toFloatArray(),
                v.grad().toFloatArray()};
    }

    @Test
    void theSecondDeviceComputesWhatTheFirstDoesInItsOwnMemory() {
        float[][] first = step(first());
        CudaBackend b = backend();
        // Every allocation is a driver call or a cache hit; the collector may free blocks meanwhile.
        long firstAllocations = allocations(b.stats(0));
        long secondAllocations = allocations(b.stats(1));
        float[][] second = step(second());
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], "result " + i);
        }
        assertEquals(firstAllocations, allocations(b.stats(0)), "work on the second device allocated on the first");
        assertTrue(allocations(b.stats(1)) > secondAllocations + 10, "the second device's allocator served the second device's work");
    }

    private static long allocations(MemoryStats s) {
        return s.driverAllocations() + s.cacheHits();
    }

    @Test
    void aGradientFollowsATensorBackToItsDevice() {
        Tensor x = randn(5, first(), 3, 4).requiresGrad_(true);
        Tensor moved = x.to(second());
        assertEquals(second(), moved.device());
        moved.mul(moved).sum().backward();
        assertEquals(first(), x.grad().device());
        assertArrayEquals(x.mul(2).toFloatArray(), x.grad().toFloatArray());
        Tensor labels = Tensor.fromArray(new long[] {1L << 50, -3}, new int[] {2}, first());
        assertArrayEquals(labels.toLongArray(), labels.to(second()).to(first()).toLongArray());
    }

    /** Host threads sharing the devices (the allocators, contexts and argument blocks) get what one thread gets. */
    @Test
    void threadsSharingTheDevicesGetTheBitsOfOneThread() throws Exception {
        float[][] alone = step(first());
        for (float[][] got : Concurrently.results(4, 8, r -> step(r % 2 == 0 ? first() : second()))) {
            for (int i = 0; i < alone.length; i++) {
                assertArrayEquals(alone[i], got[i], "result " + i);
            }
        }
    }

    @Test
    void mixingTheTwoDevicesSaysWhichTheyAre() {
        Tensor a = Tensor.ones(new int[] {3}, DType.FLOAT32, first());
        Tensor b = Tensor.ones(new int[] {3}, DType.FLOAT32, second());
        assertMessage(() -> a.add(b), first().toString(), second().toString());
        try (CudaEvent start = new CudaEvent(backend(), first()); CudaEvent end = new CudaEvent(backend(), second())) {
            start.record();
            end.record();
            assertMessage(() -> start.elapsedTime(end), "CudaEvent.elapsedTime", "both must be on one device");
        }
    }
}
