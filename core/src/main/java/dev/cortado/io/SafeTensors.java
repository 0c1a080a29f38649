package dev.cortado.io;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, a JSON header giving each
 * tensor's dtype, shape and byte range, then the raw little-endian data), so weights move
 * between Cortado and PyTorch ({@code safetensors.torch.save_file / load_file}) both ways.
 * Cortado writes F32 and I64, and reads F64, F16 and BF16 as float32 and I32, I16, I8, U8 and BOOL
 * as int64 too.
 *
 * <pre>{@code
 * SafeTensors.write(Path.of("model.safetensors"), model.stateDict(), Map.of());
 * Map<String, Tensor> state = SafeTensors.read(Path.of("model.safetensors")).tensors();
 * }</pre>
 */
public final class SafeTensors {
    /** A file's tensors in header order and its {@code __metadata__} strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} (any device and strides) and string metadata to {@code path}
     * atomically: into a temporary file in the same folder, then renamed over the target, so a
     * crash never leaves a truncated file behind.
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            header.append(Json.quote("__metadata__")).append(":{");
            boolean first = true;
            for (var e : metadata.entrySet()) {
                header.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                first = false;
            }
            header.append('}');
        }
        long offset = 0;
        List<byte[]> blobs = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: \"__metadata__\" is reserved and cannot name a tensor");
            }
            byte[] data = bytes(e.getValue());
            blobs.add(data);
            header.append(header.length() > 1 ? "," : "").append(Json.quote(e.getKey())).append(":{\"dtype\":\"")
                    .append(e.getValue().dtype() == DType.INT64 ? "I64" : "F32").append("\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) {
                header.append(i > 0 ? "," : "").append(shape[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + data.length).append("]}");
            offset += data.length;
        }
        header.append('}');
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            for (byte[] b : blobs) {
                out.write(b);
            }
        });
    }

    /** A tensor's elements in row-major order as little-endian bytes (float32 or int64). */
    static byte[] bytes(Tensor t) {
        if (t.dtype() == DType.INT64) {
            long[] v = t.toLongArray();
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(v);
            return b.array();
        }
        float[] v = t.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Reads every tensor onto the default device. */
    public static Contents read(Path path) throws IOException {
        return read(path, dev.cortado.tensor.Cortado.defaultDevice());
    }

    /**
     * Reads and validates a whole file: header length, JSON, dtypes, shapes and byte ranges that
     * tile the data section exactly. Any violation is an error naming the file and the rule.
     */
    public static Contents read(Path path, Device device) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("safetensors: no such file " + path);
        }
        byte[] all = Files.readAllBytes(path);
        if (all.length < 8) {
            throw bad(path, "file is " + all.length + " bytes, shorter than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || 8 + n > all.length) {
            throw bad(path, "header length " + n + " does not fit a file of " + all.length + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw bad(path, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw bad(path, "header is not a JSON object");
        }
        int dataStart = (int) (8 + n);
        long dataLength = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw bad(path, "__metadata__ must be an object of strings");
                }
                for (var me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v)) {
                        throw bad(path, "__metadata__ value of \"" + me.getKey() + "\" is not a string");
                    }
                    metadata.put((String) me.getKey(), v);
                }
                continue;
            }
            Entry entry = Entry.of(path, name, e.getValue());
            long size = (long) Shapes.numel(entry.shape) * entry.bytesPerElement();
            if (entry.begin < 0 || entry.end < entry.begin || entry.end > dataLength) {
                throw bad(path, "tensor \"" + name + "\" has data_offsets [" + entry.begin + ", " + entry.end + "] outside the "
                        + dataLength + "-byte data section");
            }
            if (entry.end - entry.begin != size) {
                throw bad(path, "tensor \"" + name + "\" of shape " + Shapes.str(entry.shape) + " and dtype " + entry.dtype + " needs "
                        + size + " bytes, data_offsets give " + (entry.end - entry.begin));
            }
            ranges.add(new long[] {entry.begin, entry.end});
            tensors.put(name, entry.load(all, dataStart, device));
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        for (long[] r : ranges) {
            if (r[0] != covered) {
                throw bad(path, "tensor data " + (r[0] < covered ? "overlaps" : "leaves a gap") + " at byte " + Math.min(r[0], covered));
            }
            covered = r[1];
        }
        if (covered != dataLength) {
            throw bad(path, "data section is " + dataLength + " bytes but the tensors cover " + covered + " (truncated or padded file)");
        }
        return new Contents(tensors, metadata);
    }

    private static IOException bad(Path path, String what) {
        return new IOException("safetensors: " + path + ": " + what);
    }

    /** One header entry, checked. */
    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
        static Entry of(Path path, String name, Object value) throws IOException {
            if (!(value instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dtype) || !(m.get("shape") instanceof List<?> shapeList)
                    || !(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
                throw bad(path, "tensor \"" + name + "\" needs \"dtype\", \"shape\" and two \"data_offsets\"");
            }
            if (ElementType.ofCode(dtype) == null) {
                throw bad(path, "tensor \"" + name + "\" has dtype " + dtype + "; Cortado reads F32, F64, F16, BF16, I64, I32, I16,"
                        + " I8, U8 and BOOL (convert with tensor.float() or tensor.long() before saving)");
            }
            int[] shape = new int[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                    throw bad(path, "tensor \"" + name + "\" has an invalid shape " + shapeList);
                }
                shape[i] = (int) (long) d;
            }
            if (!(offsets.get(0) instanceof Long b) || !(offsets.get(1) instanceof Long e)) {
                throw bad(path, "tensor \"" + name + "\" has non-integer data_offsets " + offsets);
            }
            return new Entry(name, dtype, shape, b, e);
        }

        int bytesPerElement() {
            return ElementType.ofCode(dtype).size;
        }

        /** Floating dtypes load as float32, integer and bool ones as int64 ({@link ElementType}). */
        Tensor load(byte[] all, int dataStart, Device device) {
            ElementType type = ElementType.ofCode(dtype);
            ByteBuffer b = ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin)).slice().order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) ((end - begin) / type.size);
            return type.floating ? Tensor.fromArray(type.floats(b, n), shape, device) : Tensor.fromArray(type.longs(b, n), shape, device);
        }
    }
}
