package dev.cortado.io;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.nio.ByteBuffer;

/**
 * A numpy array as a plain pickle holds it ({@link TorchSerialization#loadPickle}): its shape, its
 * dtype code ({@code "u1"}, {@code "f4"}, {@code "i8"}, ...) and its elements as bytes, in
 * row-major order and the dtype's byte order. Kept as bytes, a uint8 image batch takes one byte
 * per pixel until {@link #toTensor} makes it int64 or float32.
 */
public record NumpyArray(int[] shape, String dtype, java.nio.ByteOrder order, byte[] data) {
    /** The elements: floating dtypes as float32, integer and bool ones as int64, on {@code device}. */
    public Tensor toTensor(Device device) {
        NumpyValues.DType type = new NumpyValues.DType(dtype);
        type.order = order;
        int n = data.length / type.size();
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        if (type.floating()) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = type.element(b, i).floatValue();
            }
            return Tensor.fromArray(v, shape, device);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = type.element(b, i).longValue();
        }
        return Tensor.fromArray(v, shape, device);
    }

    /** Element {@code i} (row-major) as an unsigned byte, for a {@code "u1"} array such as an image batch. */
    public int unsignedByte(int i) {
        if (!dtype.equals("u1")) {
            throw new IllegalStateException("NumpyArray: unsignedByte reads a u1 array, this one is " + dtype);
        }
        return data[i] & 0xff;
    }
}
