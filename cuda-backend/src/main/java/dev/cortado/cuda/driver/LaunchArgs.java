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
    private int count;
    private long position;

    private long slot(int size) {
        position = (position + size - 1) / size * size;
        long at = position;
        position += size;
        if (position > buffer.capacity()) {
            throw new IllegalStateException("LaunchArgs: kernel arguments exceed " + buffer.capacity() + " bytes");
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = at;
        return at;
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
        long at = slot(4);
        position = at;
        for (int f : fields) {
            buffer.putInt(position, f);
            position += 4;
        }
        if (position > buffer.capacity()) {
            throw new IllegalStateException("LaunchArgs: kernel arguments exceed " + buffer.capacity() + " bytes");
        }
        return this;
    }

    PointerPointer<?> pointers() {
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
