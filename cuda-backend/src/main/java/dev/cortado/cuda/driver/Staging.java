package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Host-device copies through one page-locked (pinned) staging buffer per device: the DMA engine
 * reads pinned memory directly, so a batch from the DataLoader crosses the bus at full speed
 * instead of through the driver's own pageable bounce buffer.
 */
public final class Staging {
    /** Larger copies go in pieces, so the pinned buffer stays small. */
    private static final long CHUNK = 16L << 20;

    private BytePointer pinned;

    private BytePointer buffer() {
        if (pinned == null) {
            Pointer p = new Pointer();
            Check.runtime(cudart.cudaMallocHost(p, CHUNK), "cudaMallocHost(" + CHUNK + " bytes)");
            pinned = new BytePointer(p);
            pinned.capacity(CHUNK);
        }
        return pinned;
    }

    public synchronized void upload(long dst, float[] src) {
        BytePointer b = buffer();
        for (int start = 0; start < src.length; ) {
            int n = (int) Math.min(src.length - start, CHUNK / Float.BYTES);
            new org.bytedeco.javacpp.FloatPointer(b).put(src, start, n);
            // Synchronous from pinned memory: the buffer is free again when this returns.
            Check.runtime(cudart.cudaMemcpy(new Address(dst + (long) start * Float.BYTES), b, (long) n * Float.BYTES,
                    cudart.cudaMemcpyHostToDevice), "cudaMemcpy host to device");
            start += n;
        }
    }

    public synchronized void upload(long dst, long[] src) {
        BytePointer b = buffer();
        for (int start = 0; start < src.length; ) {
            int n = (int) Math.min(src.length - start, CHUNK / Long.BYTES);
            new org.bytedeco.javacpp.LongPointer(b).put(src, start, n);
            Check.runtime(cudart.cudaMemcpy(new Address(dst + (long) start * Long.BYTES), b, (long) n * Long.BYTES,
                    cudart.cudaMemcpyHostToDevice), "cudaMemcpy host to device");
            start += n;
        }
    }

    public synchronized void download(float[] dst, long src) {
        BytePointer b = buffer();
        for (int start = 0; start < dst.length; ) {
            int n = (int) Math.min(dst.length - start, CHUNK / Float.BYTES);
            Check.runtime(cudart.cudaMemcpy(b, new Address(src + (long) start * Float.BYTES), (long) n * Float.BYTES,
                    cudart.cudaMemcpyDeviceToHost), "cudaMemcpy device to host");
            new org.bytedeco.javacpp.FloatPointer(b).get(dst, start, n);
            start += n;
        }
    }

    public synchronized void download(long[] dst, long src) {
        BytePointer b = buffer();
        for (int start = 0; start < dst.length; ) {
            int n = (int) Math.min(dst.length - start, CHUNK / Long.BYTES);
            Check.runtime(cudart.cudaMemcpy(b, new Address(src + (long) start * Long.BYTES), (long) n * Long.BYTES,
                    cudart.cudaMemcpyDeviceToHost), "cudaMemcpy device to host");
            new org.bytedeco.javacpp.LongPointer(b).get(dst, start, n);
            start += n;
        }
    }
}
