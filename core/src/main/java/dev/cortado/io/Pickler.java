package dev.cortado.io;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes data as a protocol-2 pickle, the protocol {@code torch.save} uses: dicts as
 * {@code collections.OrderedDict} (what {@code state_dict()} returns), lists, strings, numbers,
 * booleans, {@code None}, and tensors as {@code torch._utils._rebuild_tensor_v2} calls on
 * persistent storages, which the caller stores as the archive's {@code data/KEY} records.
 */
final class Pickler {
    /** Stores a tensor's elements and returns its storage key. */
    interface Storages {
        String add(Tensor tensor);
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Storages storages;

    private Pickler(Storages storages) {
        this.storages = storages;
    }

    /** The pickle of {@code value}; tensors go to {@code storages}. */
    static byte[] dump(Object value, Storages storages) {
        Pickler p = new Pickler(storages);
        p.out.write(0x80);
        p.out.write(2);
        p.value(value, "");
        p.out.write('.');
        return p.out.toByteArray();
    }

    private void value(Object v, String path) {
        switch (v) {
            case null -> out.write('N');
            case Boolean b -> out.write(b ? 0x88 : 0x89);
            case Integer i -> integer(i);
            case Long l -> integer(l);
            case Short s -> integer(s);
            case Byte b -> integer(b);
            case BigInteger b -> bigInteger(b);
            case Double d -> binFloat(d);
            case Float f -> binFloat(f);
            case String s -> string(s);
            case Tensor t -> tensor(t);
            case Map<?, ?> m -> {
                global("collections", "OrderedDict");
                out.write(')');
                out.write('R');
                if (!m.isEmpty()) {
                    out.write('(');
                    for (var e : m.entrySet()) {
                        Object key = e.getKey();
                        if (!(key instanceof String || key instanceof Long || key instanceof Integer)) {
                            throw new IllegalArgumentException("torch.save: dict key " + key + " at " + where(path)
                                    + " is a " + Unpickler.typeName(key) + "; keys must be strings or integers");
                        }
                        value(key, path);
                        value(e.getValue(), path + "[" + key + "]");
                    }
                    out.write('u');
                }
            }
            case List<?> list -> {
                out.write(']');
                if (!list.isEmpty()) {
                    out.write('(');
                    for (int i = 0; i < list.size(); i++) {
                        value(list.get(i), path + "[" + i + "]");
                    }
                    out.write('e');
                }
            }
            default -> throw new IllegalArgumentException("torch.save: cannot save a " + v.getClass().getName() + " at " + where(path)
                    + "; saveable values are tensors, maps, lists, strings, numbers, booleans and null");
        }
    }

    private static String where(String path) {
        return path.isEmpty() ? "the top level" : path;
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, contiguous stride, False, OrderedDict())}. */
    private void tensor(Tensor t) {
        int[] shape = t.shape();
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        string("storage");
        global("torch", t.dtype() == DType.INT64 ? "LongStorage" : "FloatStorage");
        string(storages.add(t));
        string("cpu");
        integer(t.numel());
        out.write('t');
        out.write('Q');
        integer(0);
        out.write('(');
        for (int d : shape) {
            integer(d);
        }
        out.write('t');
        out.write('(');
        long stride = 1;
        long[] strides = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        for (long s : strides) {
            integer(s);
        }
        out.write('t');
        out.write(0x89);
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private void global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            out.write((int) v);
            out.write((int) (v >> 8));
        } else if (v == (int) v) {
            out.write('J');
            littleEndian(v, 4);
        } else {
            bigInteger(BigInteger.valueOf(v));
        }
    }

    /** LONG1: a little-endian two's-complement integer of at most 255 bytes. */
    private void bigInteger(BigInteger v) {
        byte[] be = v.toByteArray();
        if (be.length > 255) {
            throw new IllegalArgumentException("torch.save: integer " + v + " needs more than 255 bytes");
        }
        out.write(0x8a);
        out.write(be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private void binFloat(double d) {
        out.write('G');
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        littleEndian(b.length, 4);
        out.writeBytes(b);
    }

    private void littleEndian(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >> (8 * i)));
        }
    }
}
