package dev.cortado.cuda.driver;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;

/**
 * CUDA events of the current device, by handle (the event's address), recorded on the default
 * stream: a mark in the device's queue of work that the host can wait for, or time from.
 */
public final class Events {
    private Events() {
    }

    public static long create() {
        CUevent_st e = new CUevent_st();
        Check.runtime(cudart.cudaEventCreate(e), "cudaEventCreate");
        return e.address();
    }

    public static void record(long event) {
        Check.runtime(cudart.cudaEventRecord(handle(event)), "cudaEventRecord");
    }

    /** Whether the work queued before the event's last record has finished. */
    public static boolean query(long event) {
        int status = cudart.cudaEventQuery(handle(event));
        if (status == cudart.cudaErrorNotReady) {
            cudart.cudaGetLastError(); // not an error: the work is still running
            return false;
        }
        Check.runtime(status, "cudaEventQuery");
        return true;
    }

    public static void synchronize(long event) {
        Check.runtime(cudart.cudaEventSynchronize(handle(event)), "cudaEventSynchronize");
    }

    /** Milliseconds from start's record to end's, with about half a microsecond's resolution. */
    public static float elapsedMs(long start, long end) {
        float[] ms = new float[1];
        Check.runtime(cudart.cudaEventElapsedTime(ms, handle(start), handle(end)), "cudaEventElapsedTime");
        return ms[0];
    }

    public static void destroy(long event) {
        Check.runtime(cudart.cudaEventDestroy(handle(event)), "cudaEventDestroy");
    }

    private static CUevent_st handle(long event) {
        return new CUevent_st(new Address(event));
    }
}
