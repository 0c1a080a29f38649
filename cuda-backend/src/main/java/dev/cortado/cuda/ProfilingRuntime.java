package dev.cortado.cuda;

import dev.cortado.cuda.driver.ConvShape;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.LaunchArgs;
import dev.cortado.cuda.driver.Scratch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A device runtime that times every call it passes on: an event is recorded on the stream before
 * and after each kernel, library call and copy, and the elapsed times are added up per name
 * (kernel names, {@code cublasSgemmStridedBatched}, {@code cudnn forward}, ...), like a profiler's
 * summary by kernel. The events are read in batches, so the host does not wait after each call;
 * the times are the stream's, from the first event to the second, so a device that waits for the
 * host between them counts that wait too. On with {@code -Dcortado.cuda.profile=true}; read with
 * {@link Cuda#profile(int)}.
 */
final class ProfilingRuntime implements DeviceRuntime {
    /** Calls timed before their events are read (and the host waits for them). */
    private static final int BATCH = 2048;

    private final DeviceRuntime inner;
    private final List<Pending> pending = new ArrayList<>();
    private final ArrayDeque<Long> idle = new ArrayDeque<>();
    private final Map<String, double[]> totals = new HashMap<>();

    private record Pending(String name, long start, long end) {
    }

    ProfilingRuntime(DeviceRuntime inner) {
        this.inner = inner;
    }

    private synchronized long event() {
        Long e = idle.poll();
        return e != null ? e : inner.eventCreate();
    }

    private void timed(String name, Runnable call) {
        long start = event();
        long end = event();
        inner.eventRecord(start);
        call.run();
        inner.eventRecord(end);
        synchronized (this) {
            pending.add(new Pending(name, start, end));
            if (pending.size() >= BATCH) {
                settle();
            }
        }
    }

    /** Waits for the timed calls so far and adds their times up. */
    private synchronized void settle() {
        if (pending.isEmpty()) {
            return;
        }
        inner.eventSynchronize(pending.getLast().end());
        for (Pending p : pending) {
            double[] t = totals.computeIfAbsent(p.name(), k -> new double[2]);
            t[0]++;
            t[1] += inner.eventElapsedMs(p.start(), p.end());
            idle.add(p.start());
            idle.add(p.end());
        }
        pending.clear();
    }

    /** Calls and milliseconds per name since the last report, most time first; starts counting anew. */
    synchronized List<Cuda.KernelTime> report() {
        settle();
        List<Cuda.KernelTime> out = new ArrayList<>();
        totals.forEach((name, t) -> out.add(new Cuda.KernelTime(name, (long) t[0], t[1])));
        out.sort(Comparator.comparingDouble(Cuda.KernelTime::totalMs).reversed().thenComparing(Cuda.KernelTime::name));
        totals.clear();
        return out;
    }

    @Override
    public void bind() {
        inner.bind();
    }

    @Override
    public long malloc(long bytes) {
        return inner.malloc(bytes);
    }

    @Override
    public void free(long address) {
        inner.free(address);
    }

    @Override
    public void handedOut(long address, long bytes) {
        inner.handedOut(address, bytes);
    }

    @Override
    public void copy(long dst, long src, long bytes) {
        timed("copy device to device", () -> inner.copy(dst, src, bytes));
    }

    @Override
    public void upload(long dst, float[] src) {
        timed("copy host to device", () -> inner.upload(dst, src));
    }

    @Override
    public void upload(long dst, long[] src) {
        timed("copy host to device", () -> inner.upload(dst, src));
    }

    @Override
    public void download(float[] dst, long src) {
        timed("copy device to host", () -> inner.download(dst, src));
    }

    @Override
    public void download(long[] dst, long src) {
        timed("copy device to host", () -> inner.download(dst, src));
    }

    @Override
    public void launch(String kernel, int grid, int block, LaunchArgs args) {
        timed(kernel, () -> inner.launch(kernel, grid, block, args));
    }

    @Override
    public void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                                    long strideB, long c, int ldc, long strideC, int batch) {
        timed("cublasSgemmStridedBatched", () -> inner.sgemmStridedBatched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc,
                strideC, batch));
    }

    @Override
    public void convForward(ConvShape s, long x, long w, long y, Scratch scratch) {
        timed("cudnn convolution forward", () -> inner.convForward(s, x, w, y, scratch));
    }

    @Override
    public void convBackwardData(ConvShape s, long dy, long w, long dx, Scratch scratch) {
        timed("cudnn convolution backward data", () -> inner.convBackwardData(s, dy, w, dx, scratch));
    }

    @Override
    public void convBackwardFilter(ConvShape s, long x, long dy, long dw, Scratch scratch) {
        timed("cudnn convolution backward filter", () -> inner.convBackwardFilter(s, x, dy, dw, scratch));
    }

    @Override
    public long eventCreate() {
        return inner.eventCreate();
    }

    @Override
    public void eventRecord(long event) {
        inner.eventRecord(event);
    }

    @Override
    public boolean eventQuery(long event) {
        return inner.eventQuery(event);
    }

    @Override
    public void eventSynchronize(long event) {
        inner.eventSynchronize(event);
    }

    @Override
    public float eventElapsedMs(long start, long end) {
        return inner.eventElapsedMs(start, end);
    }

    @Override
    public void eventDestroy(long event) {
        inner.eventDestroy(event);
    }

    @Override
    public void setTf32(boolean on) {
        inner.setTf32(on);
    }

    @Override
    public void setDeterministic(boolean on) {
        inner.setDeterministic(on);
    }

    @Override
    public void synchronize() {
        inner.synchronize();
    }

    @Override
    public Gpu.Info info() {
        return inner.info();
    }
}
