package dev.cortado.cuda.driver;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.Arrays;

/**
 * Kernel arguments packed into one native buffer, each aligned to its size, for cuLaunchKernel's
 * array of pointers to argument values. Structs of ints (strided layouts, pooling geometry) go in
 * as their packed 32-bit fields, which is their C layout.
 */
public final class LaunchArgs implements AutoCloseable {
    private final BytePointer buffer = new BytePointer(2048);
    private long[] offsets = new long[16];
    private long[] sizes = new long[16];
    private int count;
    private long position;

    /**
     * Reserves {@code bytes} at the next multiple of {@code align} for the next argument; checked
     * before anything changes or is written, since the buffer is native memory.
     */
    private long slot(int align, long bytes) {
        long at = (position + align - 1) / align * align;
        if (at + bytes > buffer.capacity()) {
            throw new IllegalStateException("LaunchArgs: kernel arguments exceed " + buffer.capacity() + " bytes");
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        sizes[count] = bytes;
        offsets[count++] = at;
        position = at + bytes;
        return at;
    }

    private long slot(int size) {
        return slot(size, size);
    }

    /** A device pointer (0 for a kernel's optional, null argument). */
    public LaunchArgs pointer(long address) {
        buffer.putLong(slot(8), address);
        return this;
    }

    public LaunchArgs i32(int v) {
        buffer.putInt(slot(4), v);
        return this;
    }

    public LaunchArgs i64(long v) {
        buffer.putLong(slot(8), v);
        return this;
    }

    public LaunchArgs f32(float v) {
        buffer.putFloat(slot(4), v);
        return this;
    }

    public LaunchArgs f64(double v) {
        buffer.putDouble(slot(8), v);
        return this;
    }

    /** A struct whose fields are all 32-bit ints, passed by value. */
    public LaunchArgs ints(int[] fields) {
        long at = slot(4, 4L * fields.length);
        for (int i = 0; i < fields.length; i++) {
            buffer.putInt(at + 4L * i, fields[i]);
        }
        return this;
    }

    /** How many arguments there are. */
    public int count() {
        return count;
    }

    /** The size in bytes of argument {@code i} (a struct's: all its fields). */
    public long size(int i) {
        return sizes[i];
    }

    /** cuLaunchKernel's {@code void** kernelParams}: one pointer per argument, to its value; the caller closes it. */
    public PointerPointer<?> pointers() {
        PointerPointer<?> p = new PointerPointer<>(count);
        for (int i = 0; i < count; i++) {
            p.put(i, new Address(buffer.address() + offsets[i]));
        }
        return p;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
