package dev.cortado.io;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * numpy scalars and arrays as checkpoints pickle them (a best accuracy that sklearn returned as
 * {@code np.float64}, a normalization mean saved as an array). They are data: a dtype code, a byte
 * order, a shape and raw bytes, so they are read as such, never by calling numpy. Scalars become
 * {@code Double}, {@code Long} or {@code Boolean}; arrays become tensors, floating ones float32
 * and integer and bool ones int64.
 */
final class NumpyValues {
    private NumpyValues() {
    }

    /** The pickle calls that build them: {@code numpy.dtype}, {@code multiarray.scalar}, {@code multiarray._reconstruct}. */
    static void register(Map<String, Unpickler.Callable> globals) {
        globals.put("numpy dtype", args -> new DType((String) args.getFirst()));
        for (String module : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
            globals.put(module + " scalar", args -> scalar((DType) args.get(0), (byte[]) args.get(1)));
            globals.put(module + " _reconstruct", args -> new Array());
        }
    }

    /** A numpy dtype: its code ({@code "f8"}, {@code "i4"}, {@code "b1"}) and, once BUILD has run, its byte order. */
    static final class DType implements Unpickler.Buildable {
        final String code;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        DType(String code) {
            this.code = code;
        }

        @Override
        public void build(Object state) {
            // (version, byte order, subarray, names, fields, elsize, alignment, flags): only the order matters here.
            if (state instanceof List<?> s && s.size() > 1 && ">".equals(s.get(1))) {
                order = ByteOrder.BIG_ENDIAN;
            }
        }

        int size() {
            return switch (code) {
                case "f8", "i8", "u8" -> 8;
                case "f4", "i4", "u4" -> 4;
                case "f2", "i2", "u2" -> 2;
                case "i1", "u1", "b1" -> 1;
                default -> throw new IllegalArgumentException("numpy dtype '" + code + "' is not supported; Cortado reads float, int,"
                        + " uint and bool numpy values");
            };
        }

        boolean floating() {
            return code.startsWith("f");
        }

        /** Element i of {@code b} as a double (floating dtypes) or long (the others, bool as 0 or 1). */
        Number element(ByteBuffer b, int i) {
            int at = i * size();
            return switch (code) {
                case "f8" -> b.getDouble(at);
                case "f4" -> (double) b.getFloat(at);
                case "f2" -> (double) Float.float16ToFloat(b.getShort(at));
                case "i8", "u8" -> b.getLong(at);
                case "i4" -> (long) b.getInt(at);
                case "u4" -> b.getInt(at) & 0xffffffffL;
                case "i2" -> (long) b.getShort(at);
                case "u2" -> (long) (b.getShort(at) & 0xffff);
                case "i1" -> (long) b.get(at);
                default -> (long) (b.get(at) & 0xff);
            };
        }
    }

    private static Object scalar(DType dtype, byte[] raw) {
        if (raw.length != dtype.size()) {
            throw new IllegalArgumentException("a numpy " + dtype.code + " scalar of " + raw.length + " bytes");
        }
        Number n = dtype.element(ByteBuffer.wrap(raw).order(dtype.order), 0);
        return dtype.code.equals("b1") ? (Object) (n.longValue() != 0) : n;
    }

    /** An ndarray: empty from {@code _reconstruct}, filled by BUILD with (version, shape, dtype, fortran order, raw bytes). */
    static final class Array implements Unpickler.Buildable {
        int[] shape;
        DType dtype;
        boolean fortran;
        byte[] raw;

        @Override
        public void build(Object state) {
            // Python 2 pickles (CIFAR-10's python batches) hold the bytes as a str, read as latin-1.
            Object rawState = state instanceof List<?> l && l.size() == 5 && l.get(4) instanceof String text
                    ? text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : state instanceof List<?> l2 && l2.size() == 5 ? l2.get(4) : null;
            if (!(state instanceof List<?> s) || s.size() != 5 || !(s.get(1) instanceof List<?> dims) || !(s.get(2) instanceof DType d)
                    || !(rawState instanceof byte[] bytes)) {
                throw new IllegalArgumentException("a numpy array whose state is not (version, shape, dtype, fortran, bytes);"
                        + " object arrays cannot be read");
            }
            shape = new int[dims.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.toIntExact((Long) dims.get(i));
                if (shape[i] < 0) {
                    throw new IllegalArgumentException("a numpy array of shape " + dims);
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            if (count * d.size() != bytes.length) {
                throw new IllegalArgumentException("a numpy array of shape " + dims + " and dtype " + d.code + " with " + bytes.length + " bytes");
            }
            dtype = d;
            fortran = Boolean.TRUE.equals(s.get(3));
            raw = bytes;
        }

        /** The array in row-major order (reordered from column-major if numpy stored it so). */
        NumpyArray array(String source, String path) throws IOException {
            if (raw == null) {
                throw new IOException(source + ": the numpy array at " + path + " was never given its data");
            }
            if (!fortran || shape.length < 2) {
                return new NumpyArray(shape, dtype.code, dtype.order, raw);
            }
            int size = dtype.size();
            int n = raw.length / size;
            byte[] c = new byte[raw.length];
            int[] index = new int[shape.length];
            for (int f = 0; f < n; f++) {
                // f counts column-major positions: the first dim varies fastest.
                int row = 0;
                for (int d = 0; d < shape.length; d++) {
                    row = row * shape[d] + index[d];
                }
                System.arraycopy(raw, f * size, c, row * size, size);
                for (int d = 0; d < shape.length && ++index[d] == shape[d]; d++) {
                    index[d] = 0;
                }
            }
            return new NumpyArray(shape, dtype.code, dtype.order, c);
        }

        /** The array as a contiguous tensor on {@code device}. */
        Tensor tensor(String source, String path, Device device) throws IOException {
            return array(source, path).toTensor(device);
        }
    }
}
