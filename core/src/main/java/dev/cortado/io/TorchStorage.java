package dev.cortado.io;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One storage of a torch file (its pickled persistent id {@code ('storage', torch.FloatStorage,
 * key, location, numel)}), and the tensors that view it. Cortado holds float32 and int64, so
 * floating storages (float64, float16, bfloat16) load as float32 and integer and bool storages as
 * int64 ({@link ElementType}).
 */
final class TorchStorage {
    /** The element type of a storage class in a pickled storage id, {@code torch.FloatStorage} and the like. */
    static ElementType kind(String source, Object type) throws IOException {
        ElementType t = type instanceof Unpickler.Global g && g.module().equals("torch") ? ElementType.ofStorage(g.name()) : null;
        if (t == null) {
            throw new IOException(source + ": storage type " + type + " is not supported; Cortado reads float, double, half,"
                    + " bfloat16, integer and bool storages (not complex or quantized ones)");
        }
        return t;
    }

    /** A tensor as pickled: a view into a storage, made a Cortado tensor once the storage's bytes are known. */
    record View(TorchStorage storage, long offset, List<Object> size, List<Object> stride) {
    }

    final String key;
    final ElementType kind;
    final long numel;
    private float[] floats;
    private long[] longs;

    TorchStorage(String key, ElementType kind, long numel) {
        this.key = key;
        this.kind = kind;
        this.numel = numel;
    }

    /** Decodes {@code numel} elements from {@code data} (in {@code order}); called once per storage. */
    void fill(String source, ByteBuffer data, ByteOrder order) throws IOException {
        long bytes = numel * kind.size;
        if (numel < 0 || numel > Integer.MAX_VALUE - 8 || data.remaining() < bytes) {
            throw new IOException(source + ": storage " + key + " holds " + data.remaining() + " bytes, but its "
                    + numel + " " + kind.storage + " elements need " + bytes);
        }
        ByteBuffer b = data.slice().order(order);
        if (kind.floating) {
            floats = kind.floats(b, (int) numel);
        } else {
            longs = kind.longs(b, (int) numel);
        }
    }

    @Override
    public String toString() {
        return "storage " + key + " (" + numel + " " + kind.storage + ")";
    }

    /** The elements {@code view} reads, copied into a new contiguous tensor on {@code device}. */
    Tensor tensor(String source, String path, View view, Device device) throws IOException {
        int rank = view.size().size();
        if (view.stride().size() != rank) {
            throw new IOException(source + ": tensor " + path + " has size " + view.size() + " but stride " + view.stride());
        }
        int[] shape = new int[rank];
        long[] stride = new long[rank];
        long numelOut = 1;
        long last = view.offset();
        for (int d = 0; d < rank; d++) {
            if (!(view.size().get(d) instanceof Long s) || s < 0 || s > Integer.MAX_VALUE
                    || !(view.stride().get(d) instanceof Long st) || st < 0) {
                throw new IOException(source + ": tensor " + path + " has an invalid size " + view.size() + " or stride " + view.stride());
            }
            shape[d] = (int) (long) s;
            stride[d] = st;
            // Capped once past what a tensor holds, so that many large dims cannot overflow it; a 0 dim empties it all the same.
            numelOut = s == 0 || numelOut == 0 ? 0 : numelOut > Integer.MAX_VALUE ? numelOut : numelOut * s;
            try {
                last = Math.addExact(last, Math.multiplyExact(Math.max(s - 1, 0), st));
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
        }
        if (numelOut > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": tensor " + path + " has " + numelOut + " elements, more than a Cortado tensor holds");
        }
        if (numelOut > 0 && (view.offset() < 0 || last < 0 || last >= numel)) {
            throw new IOException(source + ": tensor " + path + " (size " + view.size() + ", stride " + view.stride() + ", offset "
                    + view.offset() + ") reads element " + last + " of storage " + key + ", which has " + numel);
        }
        int n = (int) numelOut;
        int[] index = new int[n];
        int[] counter = new int[rank];
        long at = view.offset();
        for (int i = 0; i < n; i++) {
            index[i] = (int) at;
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < shape[d]) {
                    at += stride[d];
                    break;
                }
                counter[d] = 0;
                at -= (shape[d] - 1) * stride[d];
            }
        }
        if (floats != null) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = floats[index[i]];
            }
            return Tensor.fromArray(out, shape, device);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = longs[index[i]];
        }
        return Tensor.fromArray(out, shape, device);
    }
}
