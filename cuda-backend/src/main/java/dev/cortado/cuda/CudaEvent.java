package dev.cortado.cuda;

import dev.cortado.tensor.Device;

/**
 * A mark in a GPU's queue of work, like {@code torch.cuda.Event(enable_timing=True)}: record it
 * after some work, then wait for that work, ask whether it is done, or time it from another event
 * without stopping the device in between.
 *
 * <pre>{@code
 * try (CudaEvent start = CudaEvent.create(0); CudaEvent end = CudaEvent.create(0)) {
 *     start.record();
 *     trainStep();
 *     end.record();
 *     end.synchronize();
 *     System.out.println(start.elapsedTime(end) + " ms");
 * }
 * }</pre>
 */
public final class CudaEvent implements AutoCloseable {
    private final CudaBackend backend;
    private final Device device;
    private long handle;
    private boolean recorded;

    /** A new event on CUDA device {@code index}. */
    public static CudaEvent create(int index) {
        return new CudaEvent(Cuda.backend(), Device.cuda(index));
    }

    CudaEvent(CudaBackend backend, Device device) {
        this.backend = backend;
        this.device = device;
        this.handle = backend.context(device).runtime.eventCreate();
    }

    private DeviceRuntime runtime(String op) {
        if (handle == 0) {
            throw new IllegalStateException("CudaEvent." + op + ": this event on " + device + " was closed");
        }
        return backend.context(device).runtime;
    }

    /** Marks the current end of the device's queue of work. */
    public void record() {
        runtime("record").eventRecord(handle);
        recorded = true;
    }

    /** Whether the work before the last {@link #record()} has finished (true if never recorded). */
    public boolean query() {
        return !recorded || runtime("query").eventQuery(handle);
    }

    /** Waits until the work before the last {@link #record()} has finished. */
    public void synchronize() {
        if (recorded) {
            runtime("synchronize").eventSynchronize(handle);
        }
    }

    /** Milliseconds of device time from this event's record to {@code end}'s; waits for {@code end}. */
    public float elapsedTime(CudaEvent end) {
        if (!end.device.equals(device)) {
            throw new IllegalArgumentException("CudaEvent.elapsedTime: events on " + device + " and " + end.device
                    + "; both must be on one device");
        }
        if (!recorded || !end.recorded) {
            throw new IllegalStateException("CudaEvent.elapsedTime: the " + (recorded ? "end" : "start")
                    + " event was never recorded; call record() on both, start first");
        }
        DeviceRuntime r = runtime("elapsedTime");
        end.runtime("elapsedTime");
        r.eventSynchronize(end.handle);
        return r.eventElapsedMs(handle, end.handle);
    }

    @Override
    public void close() {
        if (handle != 0) {
            backend.context(device).runtime.eventDestroy(handle);
            handle = 0;
        }
    }
}
