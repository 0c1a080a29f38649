package dev.cortado.cuda;

import dev.cortado.cuda.driver.LaunchArgs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The emulated device catches the mistakes a real GPU would turn into garbage or a crash: wrong
 * argument lists, writes past an allocation, copies and GEMM operands outside live memory.
 */
class KernelEmulatorTest {
    private static final int[] FOUR = Strided.pack(new int[] {4}, new int[] {1}, 0);

    @BeforeAll
    static void needsEmulator() {
        EmulatorRequired.assume();
    }

    @Test
    void runsAKernelWithBarriersAcrossBlocks() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        int n = 3 * 1000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 1000;
        }
        long in = gpu.malloc(4L * n);
        long out = gpu.malloc(4L * 3);
        gpu.upload(in, x);
        // Three rows of 1000: one block of 256 threads sums each row through the shared-memory tree.
        int[] rows = Strided.pack(new int[] {3, 1}, new int[] {1000, 1}, 0);
        int[] along = Strided.pack(new int[] {1, 1000}, new int[] {1000, 1}, 0);
        gpu.launch("reduce_f", 3, 256, new LaunchArgs().i32(0).ints(Strided.pack(new int[] {3}, new int[] {1}, 0)).pointer(out).ints(rows)
                .ints(along).pointer(in).i32(3).i32(1000));
        float[] sums = new float[3];
        gpu.download(sums, out);
        assertArrayEquals(new float[] {499500, 499500, 499500}, sums);
    }

    @Test
    void rejectsMalformedLaunches() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long out = gpu.malloc(16);
        assertMessage(() -> gpu.launch("fill_f33", 1, 256, new LaunchArgs()), "no kernel named fill_f33");
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(out).f32(1)),
                "fill_f32 takes 4 arguments, the launch passed 3");
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(out).f64(1).i32(4)),
                "fill_f32: argument 2 is 4 bytes in the kernel, 8 in the launch");
        assertMessage(() -> gpu.launch("fill_f32", 0, 256, new LaunchArgs().ints(FOUR).pointer(out).f32(1).i32(4)),
                "invalid launch configuration (grid 0, block 256)");
    }

    @Test
    void catchesAWritePastAnAllocation() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long out = gpu.malloc(16);
        gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(out).f32(2).i32(4));
        float[] back = new float[4];
        gpu.download(back, out);
        assertArrayEquals(new float[] {2, 2, 2, 2}, back);
        int[] five = Strided.pack(new int[] {5}, new int[] {1}, 0);
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(five).pointer(out).f32(2).i32(5)),
                "kernel fill_f32 wrote outside the allocation of 16 bytes", "after");
    }

    @Test
    void aReadPastAnAllocationGetsNaN() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long in = gpu.malloc(16);
        long out = gpu.malloc(20);
        gpu.upload(in, new float[] {1, 2, 3, 4});
        int[] five = Strided.pack(new int[] {5}, new int[] {1}, 0);
        gpu.launch("copy_ff", 1, 256, new LaunchArgs().ints(five).pointer(out).ints(five).pointer(in).i32(5));
        float[] back = new float[5];
        gpu.download(back, out);
        assertArrayEquals(new float[] {1, 2, 3, 4, Float.NaN}, back);
    }

    @Test
    void catchesMemoryOutsideLiveAllocations() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long a = gpu.malloc(16);
        long b = gpu.malloc(16);
        assertMessage(() -> gpu.copy(a, b + 4, 16), "cudaMemcpy source reads or writes 16 bytes", "outside every live allocation");
        assertMessage(() -> gpu.download(new float[5], a), "download reads or writes 20 bytes");
        gpu.free(b);
        assertMessage(() -> gpu.zero(b, 4), "cudaMemset", "outside every live allocation");
        assertMessage(() -> gpu.free(b), "not a live allocation");
        assertEquals(0, gpu.malloc(2L << 20), "more than the capacity is out of memory (0), as cudaMalloc reports it");
    }

    @Test
    void checksCublasLeadingDimensionsAndOperandExtents() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long a = gpu.malloc(4 * 6);
        long b = gpu.malloc(4 * 6);
        long c = gpu.malloc(4 * 4);
        gpu.upload(a, new float[] {1, 2, 3, 4, 5, 6});
        gpu.upload(b, new float[] {1, 0, 0, 1, 1, 1});
        // Column-major A (2 × 3, ld 2) times B (3 × 2, ld 3).
        gpu.sgemmStridedBatched(false, false, 2, 2, 3, a, 2, 0, b, 3, 0, c, 2, 0, 1);
        float[] out = new float[4];
        gpu.download(out, c);
        assertArrayEquals(new float[] {1, 2, 9, 12}, out);
        assertMessage(() -> gpu.sgemmStridedBatched(false, false, 2, 2, 3, a, 1, 0, b, 3, 0, c, 2, 0, 1), "INVALID_VALUE", "lda = 1");
        assertMessage(() -> gpu.sgemmStridedBatched(false, false, 2, 2, 3, a, 2, 6, b, 3, 0, c, 2, 0, 2), "operand a",
                "outside every live allocation");
    }
}
