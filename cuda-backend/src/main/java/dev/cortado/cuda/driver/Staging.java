package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
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

    /** One piece of a copy: elements [start, start + n) through the pinned buffer. */
    private interface Piece {
        void copy(BytePointer pinned, int start, int n);
    }

    private synchronized void inPieces(int length, int elementBytes, Piece piece) {
        BytePointer b = buffer();
        int per = (int) (CHUNK / elementBytes);
        for (int start = 0; start < length; start += per) {
            piece.copy(b, start, Math.min(per, length - start));
        }
    }

    // Synchronous copies from and to pinned memory: the buffer is free again when each returns.
    private static void toDevice(long dst, BytePointer pinned, long bytes) {
        Check.runtime(cudart.cudaMemcpy(new Address(dst), pinned, bytes, cudart.cudaMemcpyHostToDevice), "cudaMemcpy host to device");
    }

    private static void toHost(BytePointer pinned, long src, long bytes) {
        Check.runtime(cudart.cudaMemcpy(pinned, new Address(src), bytes, cudart.cudaMemcpyDeviceToHost), "cudaMemcpy device to host");
    }

    public void upload(long dst, float[] src) {
        inPieces(src.length, Float.BYTES, (b, start, n) -> {
            new FloatPointer(b).put(src, start, n);
            toDevice(dst + (long) start * Float.BYTES, b, (long) n * Float.BYTES);
        });
    }

    public void upload(long dst, long[] src) {
        inPieces(src.length, Long.BYTES, (b, start, n) -> {
            new LongPointer(b).put(src, start, n);
            toDevice(dst + (long) start * Long.BYTES, b, (long) n * Long.BYTES);
        });
    }

    public void download(float[] dst, long src) {
        inPieces(dst.length, Float.BYTES, (b, start, n) -> {
            toHost(b, src + (long) start * Float.BYTES, (long) n * Float.BYTES);
            new FloatPointer(b).get(dst, start, n);
        });
    }

    public void download(long[] dst, long src) {
        inPieces(dst.length, Long.BYTES, (b, start, n) -> {
            toHost(b, src + (long) start * Long.BYTES, (long) n * Long.BYTES);
            new LongPointer(b).get(dst, start, n);
        });
    }
}
