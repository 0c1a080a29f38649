package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.cuda.driver.Scratch;

/**
 * What the backend asks of one GPU, by device address: memory (the caching allocator's raw
 * blocks, {@link CachingAllocator.Raw}), copies, kernel launches, cuBLAS and cuDNN.
 * {@link CudaRuntime} drives a real device; the tests put a CPU emulation of the same
 * calls here, so that the backend's own logic (layouts, launch arguments, operand swaps, address
 * arithmetic) runs and is checked on machines without a GPU.
 */
interface DeviceRuntime extends CachingAllocator.Raw {
    /** Makes this device current on the calling thread. */
    void bind();

    void copy(long dst, long src, long bytes);

    void upload(long dst, float[] src);

    void upload(long dst, long[] src);

    void download(float[] dst, long src);

    void download(long[] dst, long src);

    /** Launches a kernel of kernels.cu with a 1-d grid; closes {@code args}. */
    void launch(String kernel, int grid, int block, LaunchArgs args);

    /** cuBLAS's column-major {@code C = op(A) · op(B)} over {@code batch} matrices (strides in elements). */
    void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                             long strideB, long c, int ldc, long strideC, int batch);

    void convForward(ConvShape s, long x, long w, long y, Scratch scratch);

    void convBackwardData(ConvShape s, long dy, long w, long dx, Scratch scratch);

    void convBackwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch);

    /** A new event (a nonzero handle); see {@link dev.cortado.cuda.driver.Events}. */
    long eventCreate();

    void eventRecord(long event);

    boolean eventQuery(long event);

    void eventSynchronize(long event);

    float eventElapsedMs(long start, long end);

    void eventDestroy(long event);

    void setTf32(boolean on);

    /** Convolutions only by algorithms that give the same bits on every run ({@link Cuda#setDeterministic}). */
    void setDeterministic(boolean on);

    /** Waits for all queued work. */
    void synchronize();

    Gpu.Info info();
}
