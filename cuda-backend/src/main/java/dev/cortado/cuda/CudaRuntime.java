package dev.cortado.cuda;

import dev.cortado.cuda.driver.Blas;
import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.DeviceMemory;
import dev.cortado.cuda.driver.Dnn;
import dev.cortado.cuda.driver.Events;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.KernelModule;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.cuda.driver.Scratch;
import dev.cortado.cuda.driver.Staging;

/**
 * One real GPU: the driver's memory calls, a pinned staging buffer, the NVRTC-compiled kernels,
 * a cuBLAS and a cuDNN handle, the last three made on first use.
 */
final class CudaRuntime implements DeviceRuntime {
    private final int index;
    private final Staging staging = new Staging();
    private final Lazy<KernelModule> kernels;
    private final Lazy<Blas> blas = new Lazy<>(() -> new Blas(CudaSettings.tf32()));
    private final Lazy<Dnn> dnn = new Lazy<>(() -> new Dnn(CudaSettings.tf32(), CudaSettings.deterministic()));

    CudaRuntime(int index) {
        this.index = index;
        this.kernels = new Lazy<>(() -> {
            int[] cc = Gpu.capability(index);
            return new KernelModule("cortado_kernels", CudaDevice.source(), cc[0], cc[1]);
        });
    }

    @Override
    public void bind() {
        Gpu.bind(index);
    }

    @Override
    public long malloc(long bytes) {
        return DeviceMemory.malloc(bytes);
    }

    @Override
    public void free(long address) {
        DeviceMemory.free(address);
    }

    @Override
    public void copy(long dst, long src, long bytes) {
        DeviceMemory.copyDeviceToDevice(dst, src, bytes);
    }

    @Override
    public void upload(long dst, float[] src) {
        staging.upload(dst, src);
    }

    @Override
    public void upload(long dst, long[] src) {
        staging.upload(dst, src);
    }

    @Override
    public void download(float[] dst, long src) {
        staging.download(dst, src);
    }

    @Override
    public void download(long[] dst, long src) {
        staging.download(dst, src);
    }

    @Override
    public void launch(String kernel, int grid, int block, LaunchArgs args) {
        kernels.get().launch(kernel, grid, block, args);
    }

    @Override
    public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                                    long strideB, long c, int ldc, long strideC, int batch) {
        blas.get().sgemmStridedBatched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
    }

    @Override
    public void convForward(ConvShape s, long x, long w, long y, Scratch scratch) {
        dnn.get().forward(s, x, w, y, scratch);
    }

    @Override
    public void convBackwardData(ConvShape s, long dy, long w, long dx, Scratch scratch) {
        dnn.get().backwardData(s, dy, w, dx, scratch);
    }

    @Override
    public void convBackwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch) {
        dnn.get().backwardFilter(s, x, dy, dw, scratch);
    }

    @Override
    public long eventCreate() {
        return Events.create();
    }

    @Override
    public void eventRecord(long event) {
        Events.record(event);
    }

    @Override
    public boolean eventQuery(long event) {
        return Events.query(event);
    }

    @Override
    public void eventSynchronize(long event) {
        Events.synchronize(event);
    }

    @Override
    public float eventElapsedMs(long start, long end) {
        return Events.elapsedMs(start, end);
    }

    @Override
    public void eventDestroy(long event) {
        Events.destroy(event);
    }

    @Override
    public void setTf32(boolean on) {
        // Handles made later read the setting from CudaSettings.
        if (blas.ifMade() != null) {
            blas.ifMade().setTf32(on);
        }
        if (dnn.ifMade() != null) {
            dnn.ifMade().setTf32(on);
        }
    }

    @Override
    public void setDeterministic(boolean on) {
        // A handle made later reads the setting from CudaSettings.
        if (dnn.ifMade() != null) {
            dnn.ifMade().setDeterministic(on);
        }
    }

    @Override
    public void synchronize() {
        DeviceMemory.synchronize();
    }

    @Override
    public Gpu.Info info() {
        return Gpu.info(index, blas.get());
    }
}
