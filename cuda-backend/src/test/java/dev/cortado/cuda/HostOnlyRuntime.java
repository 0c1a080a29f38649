package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.cuda.driver.Scratch;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device that does no work at all: addresses are handed out but never backed, kernels, GEMMs
 * and convolutions return at once, and downloads read zeros. What is left of a training step on
 * it is the host's share (autograd, layouts, allocator, argument packing), which on a real GPU
 * runs ahead of the device and must stay shorter than the device's work for the GPU to be the
 * bottleneck. It also counts each kind of call, per step.
 */
final class HostOnlyRuntime implements DeviceRuntime {
    /** The calls counted, in the order of {@link #counts()}. */
    enum Call { LAUNCH, GEMM, CONV_FORWARD, CONV_BACKWARD_DATA, CONV_BACKWARD_FILTER, COPY, UPLOAD, DOWNLOAD, MALLOC }

    private final long[] counts = new long[Call.values().length];
    private final Map<String, Long> kernels = new TreeMap<>();
    private long next = 1L << 40;
    private long nextEvent = 1;

    private void count(Call c) {
        counts[c.ordinal()]++;
    }

    /** How often each {@link Call} happened since the device was made. */
    synchronized long[] counts() {
        return counts.clone();
    }

    /** How often each kernel was launched since the device was made, by name. */
    synchronized Map<String, Long> kernels() {
        return new TreeMap<>(kernels);
    }

    @Override
    public void bind() {
    }

    @Override
    public synchronized long malloc(long bytes) {
        count(Call.MALLOC);
        long a = next;
        next += (bytes + 255) / 256 * 256 + 256;
        return a;
    }

    @Override
    public void free(long address) {
    }

    @Override
    public synchronized void copy(long dst, long src, long bytes) {
        count(Call.COPY);
    }

    @Override
    public synchronized void upload(long dst, float[] src) {
        count(Call.UPLOAD);
    }

    @Override
    public synchronized void upload(long dst, long[] src) {
        count(Call.UPLOAD);
    }

    @Override
    public synchronized void download(float[] dst, long src) {
        count(Call.DOWNLOAD);
        Arrays.fill(dst, 0f);
    }

    @Override
    public synchronized void download(long[] dst, long src) {
        count(Call.DOWNLOAD);
        Arrays.fill(dst, 0L);
    }

    @Override
    public synchronized void launch(String kernel, int grid, int block, LaunchArgs args) {
        count(Call.LAUNCH);
        kernels.merge(kernel, 1L, Long::sum);
        args.close();
    }

    @Override
    public synchronized void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b,
                                                 int ldb, long strideB, long c, int ldc, long strideC, int batch) {
        count(Call.GEMM);
    }

    @Override
    public synchronized void convForward(ConvShape s, long x, long w, long y, Scratch scratch) {
        count(Call.CONV_FORWARD);
    }

    @Override
    public synchronized void convBackwardData(ConvShape s, long dy, long w, long dx, Scratch scratch) {
        count(Call.CONV_BACKWARD_DATA);
    }

    @Override
    public synchronized void convBackwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch) {
        count(Call.CONV_BACKWARD_FILTER);
    }

    @Override
    public synchronized long eventCreate() {
        return nextEvent++;
    }

    @Override
    public void eventRecord(long event) {
    }

    @Override
    public boolean eventQuery(long event) {
        return true;
    }

    @Override
    public void eventSynchronize(long event) {
    }

    @Override
    public float eventElapsedMs(long start, long end) {
        return 0f;
    }

    @Override
    public void eventDestroy(long event) {
    }

    @Override
    public void setTf32(boolean on) {
    }

    @Override
    public void setDeterministic(boolean on) {
    }

    @Override
    public void synchronize() {
    }

    @Override
    public Gpu.Info info() {
        return new Gpu.Info(0, "host only (no work)", 0, 0, Long.MAX_VALUE, 0, 0, 0, 0, 0, "none");
    }
}
