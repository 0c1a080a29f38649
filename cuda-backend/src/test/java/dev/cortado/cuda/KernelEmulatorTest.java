package dev.cortado.cuda;

import dev.cortado.backend.Pool2dParams;
import dev.cortado.cuda.driver.LaunchArgs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * unary_ff, binary_fff and binary_scalar_ff index contiguous operands directly, four elements
     * per thread and step, with the op fixed per thread; the same memory described as two unmerged
     * dims goes through at() and the per-element switch. Both must give the same bits for every op code, on values that reach each
     * op's special cases (signed zeros, NaN, infinities, negatives, powers of two).
     */
    @Test
    void denseElementwiseKernelsGiveTheBitsOfTheStridedPath() {
        // 300 elements: part of one step of the two blocks; 5,100: three steps of 2,048, the last partial.
        for (int n : new int[] {3 * 100, 3 * 1700}) {
            denseAndStridedPathsAgree(n);
        }
    }

    private void denseAndStridedPathsAgree(int n) {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f, 2f, -2f, 0.5f, 3.25f, -7.5f, 1e-30f,
                -1e30f, 88f, -104f};
        java.util.Random random = new java.util.Random(9);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i < specials.length ? specials[i] : (float) random.nextGaussian() * 4;
            y[i] = i % 7 == 0 ? specials[(i / 7) % specials.length] : (float) random.nextGaussian() * 2;
        }
        long px = gpu.malloc(4L * (n + 1));
        long py = gpu.malloc(4L * n);
        long out = gpu.malloc(4L * (n + 1));
        gpu.upload(px, new float[n + 1]);
        gpu.upload(px + 4, x);
        gpu.upload(py, y);
        // x sits one element in (offset 1), to check that the dense path honours offsets.
        int[] denseX = Strided.pack(new int[] {n}, new int[] {1}, 1);
        int[] dense = Strided.pack(new int[] {n}, new int[] {1}, 0);
        int[] splitX = rows(3, n / 3, 1);
        int[] split = rows(3, n / 3, 0);
        for (int op = 0; op <= 11; op++) {
            int code = op;
            float alpha = op == 11 ? -1.5f : 0.25f;
            float beta = op == 11 ? 2.5f : 0f;
            assertSamePaths(gpu, out, n, "unary_ff op " + op + " on " + n, d -> gpu.launch("unary_ff", 2, 256, new LaunchArgs().i32(code)
                    .ints(d ? dense : split).pointer(out).ints(d ? denseX : splitX).pointer(px).f32(alpha).f32(beta).i32(n)));
            assertSamePaths(gpu, out, n, "binary_fff op " + op + " on " + n, d -> gpu.launch("binary_fff", 2, 256, new LaunchArgs().i32(code)
                    .ints(d ? dense : split).pointer(out).ints(d ? denseX : splitX).pointer(px).ints(d ? dense : split).pointer(py).i32(n)));
            for (float scalar : new float[] {2f, -0.5f, 0f}) {
                assertSamePaths(gpu, out, n, "binary_scalar_ff op " + op + " by " + scalar + " on " + n, d -> gpu.launch("binary_scalar_ff", 2, 256,
                        new LaunchArgs().i32(code).ints(d ? dense : split).pointer(out).ints(d ? denseX : splitX).pointer(px).f32(scalar)
                                .i32(n)));
            }
        }
    }

    /** Runs {@code launch} with dense layouts (true) and with the same memory as two dims (false); the bits must agree. */
    private static void assertSamePaths(EmulatedRuntime gpu, long out, int n, String what, java.util.function.Consumer<Boolean> launch) {
        float[] strided = run(gpu, out, n, launch, false);
        float[] dense = run(gpu, out, n, launch, true);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(strided[i]), Float.floatToRawIntBits(dense[i]),
                    what + ", element " + i + ": dense " + dense[i] + ", strided " + strided[i]);
        }
    }

    /** A contiguous (rows × cols) layout left as two dims, so that the kernels walk it through at(). */
    private static int[] rows(int rows, int cols, int offset) {
        int[] packed = new int[Strided.INTS];
        packed[0] = 2;
        packed[1] = offset;
        packed[2] = rows;
        packed[3] = cols;
        packed[2 + Strided.MAX_DIMS] = cols;
        packed[3 + Strided.MAX_DIMS] = 1;
        FastDivisor f = FastDivisor.of(cols);
        packed[3 + 2 * Strided.MAX_DIMS] = f.magic();
        packed[3 + 3 * Strided.MAX_DIMS] = f.shift();
        return packed;
    }

    private static float[] run(EmulatedRuntime gpu, long out, int n, java.util.function.Consumer<Boolean> launch, boolean dense) {
        gpu.upload(out, new float[n]);
        launch.accept(dense);
        float[] got = new float[n];
        gpu.download(got, out);
        return got;
    }

    /** The per-channel batch-norm kernels take channels in turn when the grid has fewer blocks (past 2^20 channels on a GPU). */
    @Test
    void batchNormChannelKernelsCoverEveryChannelOnASmallerGrid() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        int n = 2;
        int c = 5;
        int m = 3;
        java.util.Random random = new java.util.Random(4);
        long x = gpu.malloc(4L * n * c * m);
        long dy = gpu.malloc(4L * n * c * m);
        gpu.upload(x, floats(random, n * c * m));
        gpu.upload(dy, floats(random, n * c * m));
        long[] stats = {gpu.malloc(4L * c), gpu.malloc(4L * c), gpu.malloc(4L * c), gpu.malloc(4L * c)};
        float[][] got = new float[2][];
        for (int grid : new int[] {c, 2}) {
            for (long a : stats) {
                gpu.upload(a, new float[c]);
            }
            gpu.launch("bn_stats_f", grid, 256, new LaunchArgs().pointer(x).pointer(stats[0]).pointer(stats[1]).pointer(0).pointer(0)
                    .pointer(0).f32(0).f32(0).f32(0).f32(0).i32(n).i32(c).i32(m));
            gpu.launch("bn_backward_sums_f", grid, 256, new LaunchArgs().pointer(dy).pointer(x).pointer(stats[0]).pointer(stats[1])
                    .pointer(stats[2]).pointer(stats[3]).pointer(0).pointer(0).i32(n).i32(c).i32(m));
            float[] all = new float[4 * c];
            for (int k = 0; k < 4; k++) {
                float[] part = new float[c];
                gpu.download(part, stats[k]);
                System.arraycopy(part, 0, all, k * c, c);
            }
            got[grid == c ? 0 : 1] = all;
        }
        for (float v : got[0]) {
            org.junit.jupiter.api.Assertions.assertNotEquals(0f, v, "every statistic of the full grid is set: " + java.util.Arrays.toString(got[0]));
        }
        assertArrayEquals(got[0], got[1], "a grid of 2 blocks for 5 channels");
    }

    private static float[] floats(java.util.Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
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

    /** A layout that reaches past its allocation fails the launch before the kernel runs, naming the bytes it would reach. */
    @Test
    void rejectsALayoutThatReachesPastItsAllocation() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long out = gpu.malloc(16);
        gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(out).f32(2).i32(4));
        float[] back = new float[4];
        gpu.download(back, out);
        assertArrayEquals(new float[] {2, 2, 2, 2}, back);
        int[] five = Strided.pack(new int[] {5}, new int[] {1}, 0);
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(five).pointer(out).f32(2).i32(5)),
                "fill_f32: argument 1, through the layout before it, reaches bytes [0, 20) of the allocation of 16 bytes");
        int[] before = Strided.pack(new int[] {4}, new int[] {-1}, 2);
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(before).pointer(out).f32(2).i32(4)),
                "reaches bytes [-4, 12) of the allocation of 16 bytes");
    }

    /** A reduction reads x at at(kept, k) + at(red, j): two layouts each inside x can together reach past it. */
    @Test
    void rejectsConsecutiveLayoutsThatTogetherReachPastTheirAllocation() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long out = gpu.malloc(4 * Float.BYTES);
        long x = gpu.malloc(16 * Float.BYTES);
        int[] rows = Strided.pack(new int[] {4}, new int[] {4}, 0);
        gpu.launch("reduce_f", 4, 256, new LaunchArgs().i32(0).ints(FOUR).pointer(out).ints(rows).ints(FOUR).pointer(x).i32(4).i32(4));
        int[] everyOther = Strided.pack(new int[] {4}, new int[] {2}, 0); // rows 12 and columns 6 apart: each inside 16 floats, together 18
        assertMessage(() -> gpu.launch("reduce_f", 4, 256, new LaunchArgs().i32(0).ints(FOUR).pointer(out).ints(rows).ints(everyOther).pointer(x)
                        .i32(4).i32(4)),
                "reduce_f: argument 5, through the layouts before it, reaches bytes [0, 76) of the allocation of 64 bytes");
    }

    /** A pointer into no live allocation of the device: freed, another device's, or garbage. */
    @Test
    void rejectsAPointerOutsideTheDevicesMemory() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        EmulatedRuntime other = new EmulatedRuntime(1 << 20);
        long theirs = other.malloc(16);
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(theirs).f32(2).i32(4)),
                "fill_f32: argument 1", "points outside every live allocation of the device");
        long mean = gpu.malloc(16);
        long freed = gpu.malloc(16);
        gpu.free(freed);
        assertMessage(() -> gpu.launch("bn_update_stats_f", 1, 256, new LaunchArgs().pointer(freed).pointer(0).pointer(0).pointer(mean)
                .pointer(mean).f32(1e-5f).f32(0.9f).f32(0.1f).f32(1).i32(4)), "bn_update_stats_f: argument 0", "outside every live allocation");
        other.free(theirs);
    }

    /** A kernel with plain pointers and a count writes past an allocation: the guard bytes after it show it. */
    @Test
    void catchesAWritePastAnAllocation() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long invstd = gpu.malloc(16);
        long var = gpu.malloc(20);
        gpu.upload(var, new float[] {1, 1, 1, 1, 1});
        assertMessage(() -> gpu.launch("bn_update_stats_f", 1, 256, new LaunchArgs().pointer(invstd).pointer(0).pointer(0).pointer(var)
                .pointer(var).f32(0).f32(0.9f).f32(0.1f).f32(1).i32(5)), "kernel bn_update_stats_f wrote outside the allocation of 16 bytes",
                "after");
    }

    @Test
    void aReadPastAnAllocationGetsNaN() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long var = gpu.malloc(16);
        long invstd = gpu.malloc(20);
        gpu.upload(var, new float[] {4, 4, 4, 4});
        gpu.launch("bn_update_stats_f", 1, 256, new LaunchArgs().pointer(invstd).pointer(0).pointer(0).pointer(var).pointer(var).f32(0)
                .f32(0.9f).f32(0.1f).f32(1).i32(5));
        float[] back = new float[5];
        gpu.download(back, invstd);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, Float.NaN}, back);
    }

    /**
     * A layout whose divisor shift is 40 makes at() shift a 32-bit value by more than its width,
     * which a GPU answers with garbage and C++ calls undefined. The layout keeps every write at
     * element 0 whatever the shift gives, so only the sanitizer can notice.
     */
    @Test
    void failsALaunchThatDoesSomethingUndefined() {
        String why = KernelEmulator.whyUnsanitized();
        Assumptions.assumeTrue(why == null, () -> "the kernel emulator has no undefined-behaviour sanitizer here: " + why);
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long out = gpu.malloc(16);
        int[] broadcast = Strided.pack(new int[] {2, 2}, new int[] {1, 0}, 0);
        broadcast[2 + 3 * 8 + 1] = 40;
        assertMessage(() -> gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(broadcast).pointer(out).f32(1).i32(4)),
                "fill_f32 did something undefined", "shift exponent 40");
    }

    /**
     * A pooling stride of 0 makes avg_pool_backward_f divide an int by zero: SIGFPE, which would
     * end the JVM, fails the launch instead, naming the block and thread; the emulator goes on.
     */
    @Test
    void failsALaunchThatDividesAnIntegerByZero() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long gradIn = gpu.malloc(16 * Float.BYTES);
        Runnable divideByZero = dividingByZero(gpu, gradIn);
        assertMessage(divideByZero::run, "avg_pool_backward_f, block 0, thread 0: integer division by zero (SIGFPE)");
        // Twice: the second launch of a kernel that reached no barrier runs without fibers.
        assertMessage(divideByZero::run, "integer division by zero");
        gpu.launch("fill_f32", 1, 256, new LaunchArgs().ints(FOUR).pointer(gradIn).f32(1).i32(4));
        float[] filled = new float[4];
        gpu.download(filled, gradIn);
        assertArrayEquals(new float[] {1, 1, 1, 1}, filled, "the next launch runs");
    }

    /**
     * While launches trap SIGFPE, a Java division by zero on another thread, which HotSpot raises
     * as SIGFPE too, still reaches the JVM's handler and becomes an ArithmeticException.
     */
    @Test
    void javaDivisionsByZeroOnOtherThreadsStayJavasDuringLaunches() throws InterruptedException {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        Runnable divideByZero = dividingByZero(gpu, gpu.malloc(16 * Float.BYTES));
        java.util.concurrent.atomic.AtomicBoolean launching = new java.util.concurrent.atomic.AtomicBoolean(true);
        int[] caught = new int[1];
        Thread java = new Thread(() -> {
            int zero = 0;
            while (launching.get()) {
                try {
                    zero = 1 / zero;
                } catch (ArithmeticException e) {
                    caught[0]++;
                }
            }
        });
        java.start();
        try {
            for (int i = 0; i < 200; i++) {
                assertMessage(divideByZero::run, "integer division by zero");
            }
        } finally {
            launching.set(false);
            java.join();
        }
        assertTrue(caught[0] > 0, "the Java thread ran");
    }

    /** A launch of avg_pool_backward_f into gradIn (16 floats) with a pooling stride of 0, which divides an int by zero. */
    private static Runnable dividingByZero(EmulatedRuntime gpu, long gradIn) {
        long gradOut = gpu.malloc(4 * Float.BYTES);
        int[] pool = CudaBackend.pool(4, 4, 2, 2, new Pool2dParams(2, 2, 2, 2, 0, 0, 1, 1, false, true));
        pool[6] = 0; // strideH
        return () -> gpu.launch("avg_pool_backward_f", 1, 256, new LaunchArgs().ints(pool).pointer(gradOut).pointer(gradIn).i32(16));
    }

    @Test
    void catchesMemoryOutsideLiveAllocations() {
        EmulatedRuntime gpu = new EmulatedRuntime(1 << 20);
        long a = gpu.malloc(16);
        long b = gpu.malloc(16);
        assertMessage(() -> gpu.copy(a, b + 4, 16), "cudaMemcpy source reads or writes 16 bytes", "outside every live allocation");
        assertMessage(() -> gpu.download(new float[5], a), "download reads or writes 20 bytes");
        gpu.free(b);
        assertMessage(() -> gpu.copy(a, b, 4), "cudaMemcpy source", "outside every live allocation");
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
