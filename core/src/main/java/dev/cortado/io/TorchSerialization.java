package dev.cortado.io;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's {@code torch.save} / {@code torch.load} files, so a state dict trained in a notebook
 * loads into the same model in Java, and the other way round.
 *
 * <pre>{@code
 * // Python: torch.save(model.state_dict(), "lenet.pt")
 * model.loadStateDict(TorchSerialization.loadStateDict(Path.of("lenet.pt"), Device.CPU), true);
 * TorchSerialization.save(model.stateDict(), Path.of("lenet-java.pt"));  // Python: torch.load(...)
 * }</pre>
 *
 * <p>Both of torch.save's layouts are read: the zip archive (PyTorch 1.6 and later) and the
 * earlier stream of pickles. Loading is {@code torch.load(weights_only=True)}: tensors, dicts
 * (OrderedDict, Counter, defaultdict), lists, tuples, sets, numbers, strings, bytes, devices and
 * sizes, and numpy scalars and arrays (read from their bytes); a file that pickles any other
 * object (a whole {@code nn.Module}, a custom class) is refused with the name of what it holds,
 * and no code from the file ever runs. Tensors load contiguous on the given device,
 * floating ones as float32 and integer and bool ones as int64.
 */
public final class TorchSerialization {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("119547037146038801333356");
    private static final long LEGACY_PROTOCOL = 1001;
    private static final String ARCHIVE = "archive/";
    private static final int ALIGNMENT = 64;
    private static final int MAX_DEPTH = 1000;
    private static final Map<String, Unpickler.Callable> GLOBALS = globals();

    private TorchSerialization() {
    }

    /** {@code torch.load(path)} onto the default device. */
    public static Object load(Path path) throws IOException {
        return load(path, Cortado.defaultDevice());
    }

    /**
     * {@code torch.load(path, map_location=device)}: dicts become {@code LinkedHashMap}, lists
     * {@code ArrayList}, tuples unmodifiable lists, ints {@code Long} (or {@code BigInteger}),
     * floats {@code Double}, devices and dtypes their names ({@code "cuda:1"},
     * {@code "torch.float32"}).
     */
    public static Object load(Path path, Device device) throws IOException {
        String source = "torch.load: " + path;
        return switch (layout(path)) {
            case ZIP -> readZip(path, source, device);
            case LEGACY -> readLegacy(path, source, device);
            case OTHER -> throw new IOException(source + ": not a torch.save file (neither a zip archive nor a pickle"
                    + " starting with torch's magic number)");
        };
    }

    /**
     * A file holding one state dict ({@code torch.save(model.state_dict(), path)}): every key a
     * string and every value a tensor. A training checkpoint that nests the state dict
     * ({@code {"model": ..., "epoch": 3}}) is refused with its keys, so the caller can
     * {@link #load} it and pick the entry.
     */
    public static Map<String, Tensor> loadStateDict(Path path, Device device) throws IOException {
        Object value = load(path, device);
        try {
            return asStateDict(value);
        } catch (IllegalArgumentException e) {
            throw new IOException("torch.load: " + path + " holds " + e.getMessage() + ". Read it with TorchSerialization.load"
                    + " and pass the state dict inside to loadStateDict", e);
        }
    }

    /**
     * {@code value} (what {@link #load} returned, or an entry of it) as a state dict: a map from
     * strings to tensors, in its order; anything else is refused with what it is.
     */
    public static Map<String, Tensor> asStateDict(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a " + Unpickler.typeName(value) + ", not a state dict");
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (var e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Tensor t)) {
                throw new IllegalArgumentException("a dict with keys " + map.keySet() + ", not a state dict: entry " + e.getKey()
                        + " is a " + Unpickler.typeName(e.getValue()) + ", not a tensor");
            }
            state.put(key, t);
        }
        return state;
    }

    /** Whether {@code path} starts like a torch.save file (either layout). */
    public static boolean isTorchFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("no such file " + path);
        }
        return layout(path) != Layout.OTHER;
    }

    /** Whether a file name asks for torch.save's format: it ends in {@code .pt} or {@code .pth}, as PyTorch's conventions have it. */
    public static boolean isTorchName(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".pt") || name.endsWith(".pth");
    }

    /**
     * Python's {@code pickle.load} of a whole file, data only, as {@link #load} reads torch files:
     * dicts, lists, tuples, numbers, strings (Python 2's str as latin-1), bytes, and numpy arrays
     * as {@link NumpyArray}s, kept as bytes (CIFAR-10's python batches are uint8 arrays of 30 MB).
     * Anything that would run code is refused by name.
     */
    public static Object loadPickle(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("pickle.load: no such file " + path);
        }
        String source = "pickle.load: " + path;
        Object raw = new Unpickler(source, ByteBuffer.wrap(Files.readAllBytes(path)), GLOBALS, pid -> {
            throw new IOException(source + ": a persistent id " + pid + "; a plain pickle has none (torch files: TorchSerialization.load)");
        }).load();
        return materialize(source, raw, "", null);
    }

    private enum Layout { ZIP, LEGACY, OTHER }

    private static Layout layout(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("torch.load: no such file " + path);
        }
        byte[] head = new byte[13];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Layout.ZIP;
        }
        // PROTO n, then the magic number as a LONG1 of 10 bytes; from protocol 4 on, a FRAME of 8 bytes comes between.
        boolean proto = n >= 4 && (head[0] & 0xff) == 0x80;
        if (proto && (head[2] & 0xff) == 0x8a && head[3] == 10 || proto && n == 13 && (head[2] & 0xff) == 0x95 && (head[11] & 0xff) == 0x8a
                && head[12] == 10) {
            return Layout.LEGACY;
        }
        return Layout.OTHER;
    }

    // ---- reading ---------------------------------------------------------------------------

    private static Object readZip(Path path, String source, Device device) throws IOException {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String prefix = null;
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                int slash = name.indexOf('/');
                if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                    prefix = name.substring(0, slash + 1);
                    break;
                }
            }
            if (prefix == null) {
                throw new IOException(source + ": a zip archive without a data.pkl record, not a torch.save file");
            }
            if (zip.getEntry(prefix + "constants.pkl") != null) {
                throw new IOException(source + ": a TorchScript archive (torch.jit.save); save the model's state_dict() with"
                        + " torch.save instead");
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (zip.getEntry(prefix + "byteorder") != null) {
                String byteorder = new String(record(zip, prefix + "byteorder", source), StandardCharsets.US_ASCII).trim();
                if (byteorder.equals("big")) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if (!byteorder.equals("little")) {
                    throw new IOException(source + ": unknown byteorder record \"" + byteorder + "\"");
                }
            }
            Map<String, TorchStorage> storages = new LinkedHashMap<>();
            String pickle = source + " (" + prefix + "data.pkl)";
            Object raw = new Unpickler(pickle, ByteBuffer.wrap(record(zip, prefix + "data.pkl", source)), GLOBALS,
                    pid -> storage(pickle, pid, 5, storages)).load();
            for (TorchStorage s : storages.values()) {
                s.fill(source, ByteBuffer.wrap(record(zip, prefix + "data/" + s.key, source)), order);
            }
            return materialize(source, raw, "", device);
        } catch (ZipException | java.io.EOFException e) {
            throw new IOException(source + ": a damaged zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] record(ZipFile zip, String name, String source) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(source + ": the archive has no record " + name);
        }
        if (entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": record " + name + " is " + entry.getSize() + " bytes, more than one array holds");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** The earlier layout: magic number, protocol, system info, the object, the storage keys, then each storage. */
    private static Object readLegacy(Path path, String source, Device device) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, TorchStorage> storages = new LinkedHashMap<>();
        Unpickler.PersistentLoader none = pid -> {
            throw new IOException(source + ": a storage outside the object's pickle");
        };
        if (!LEGACY_MAGIC.equals(toBig(new Unpickler(source, in, GLOBALS, none).load()))) {
            throw new IOException(source + ": wrong magic number; not a torch.save file, or a damaged one");
        }
        Object protocol = new Unpickler(source, in, GLOBALS, none).load();
        if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
            throw new IOException(source + ": torch.save protocol " + protocol + ", only " + LEGACY_PROTOCOL + " is known");
        }
        if (new Unpickler(source, in, GLOBALS, none).load() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new IOException(source + ": written on a big-endian machine, which this reader does not handle");
        }
        Object raw = new Unpickler(source, in, GLOBALS, pid -> storage(source, pid, 6, storages)).load();
        if (!(new Unpickler(source, in, GLOBALS, none).load() instanceof List<?> keys)) {
            throw new IOException(source + ": the list of storage keys is missing after the object");
        }
        for (Object k : keys) {
            TorchStorage s = storages.get(String.valueOf(k));
            if (in.remaining() < 8) {
                throw new IOException(source + ": the file ends before storage " + k + " (truncated file)");
            }
            long count = in.getLong();
            if (s == null || count != s.numel) {
                throw new IOException(source + ": storage " + k + " has " + count + " elements in the file, but the object "
                        + (s == null ? "does not use it" : "expects " + s.numel));
            }
            s.fill(source, in, ByteOrder.LITTLE_ENDIAN);
            in.position(in.position() + (int) (count * s.kind.size));
        }
        return materialize(source, raw, "", device);
    }

    private static BigInteger toBig(Object o) {
        return o instanceof Long l ? BigInteger.valueOf(l) : o instanceof BigInteger b ? b : null;
    }

    /** A persistent id: {@code ('storage', torch.XStorage, key, location, numel[, view_metadata])}. */
    private static TorchStorage storage(String source, Object pid, int arity, Map<String, TorchStorage> storages) throws IOException {
        if (!(pid instanceof List<?> t) || t.isEmpty() || !"storage".equals(t.getFirst())) {
            String what = pid instanceof List<?> t && !t.isEmpty() && "module".equals(t.getFirst())
                    ? "a whole pickled nn.Module; save its state_dict() instead" : "persistent id " + pid;
            throw new IOException(source + ": it holds " + what + ", which Cortado cannot read");
        }
        if (t.size() != arity || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)
                || (arity == 6 && t.get(5) != null)) {
            throw new IOException(source + ": malformed storage id " + t);
        }
        ElementType kind = TorchStorage.kind(source, t.get(1));
        TorchStorage s = storages.computeIfAbsent(key, k -> new TorchStorage(k, kind, numel));
        if (s.kind != kind || s.numel != numel) {
            throw new IOException(source + ": storage " + key + " is used both as " + s.numel + " " + s.kind.storage + " and as "
                    + numel + " " + kind.storage);
        }
        return s;
    }

    /** Replaces each pickled tensor by a Cortado tensor, and the pickle's names by strings. */
    private static Object materialize(String source, Object o, String path, Device device) throws IOException {
        return materialize(source, o, path, device, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    /** {@code open}: the containers being converted, to refuse a structure that contains itself (Python allows it; checkpoints never need it). */
    private static Object materialize(String source, Object o, String path, Device device, Set<Object> open) throws IOException {
        boolean container = o instanceof Map<?, ?> || o instanceof List<?> || o instanceof Set<?>;
        if (container && !open.add(o)) {
            throw new IOException(source + ": the value at " + (path.isEmpty() ? "the top level" : path) + " contains itself");
        }
        if (open.size() > MAX_DEPTH) {
            throw new IOException(source + ": values nested more than " + MAX_DEPTH + " deep");
        }
        try {
            return convert(source, o, path, device, open);
        } finally {
            if (container) {
                open.remove(o);
            }
        }
    }

    private static Object convert(String source, Object o, String path, Device device, Set<Object> open) throws IOException {
        switch (o) {
            case TorchStorage.View v -> {
                return v.storage().tensor(source, path.isEmpty() ? "at the top level" : path, v, device);
            }
            case TorchStorage s -> throw new IOException(source + ": a bare storage " + s.key + " at " + path
                    + "; Cortado reads tensors, not storages");
            case Unpickler.Global g -> {
                return g.toString();
            }
            case NumpyValues.Array a -> {
                // Without a device (a plain pickle) arrays stay numpy arrays; torch files hold tensors, so they become tensors.
                String where = path.isEmpty() ? "the top level" : path;
                return device == null ? a.array(source, where) : a.tensor(source, where, device);
            }
            case NumpyValues.DType d -> {
                return d.code;
            }
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (var e : m.entrySet()) {
                    out.put(e.getKey(), materialize(source, e.getValue(), path + "['" + e.getKey() + "']", device, open));
                }
                return out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    out.add(materialize(source, l.get(i), path + "[" + i + "]", device, open));
                }
                return l instanceof ArrayList<?> ? out : Unpickler.tuple(out);
            }
            case Set<?> s -> {
                Set<Object> out = new LinkedHashSet<>();
                for (Object e : s) {
                    out.add(materialize(source, e, path + "{}", device, open));
                }
                return out;
            }
            case null, default -> {
                return o;
            }
        }
    }

    /** The callables a torch file may use, with what each builds. */
    private static Map<String, Unpickler.Callable> globals() {
        Map<String, Unpickler.Callable> g = new LinkedHashMap<>();
        g.put("collections OrderedDict", args -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            if (!args.isEmpty() && args.getFirst() instanceof List<?> pairs) {
                for (Object p : pairs) {
                    List<?> kv = (List<?>) p;
                    m.put(Unpickler.hashable(kv.get(0), 0), kv.get(1));
                }
            }
            return m;
        });
        Unpickler.Callable rebuild = args -> {
            if (args.size() < 4 || !(args.get(0) instanceof TorchStorage s) || !(args.get(1) instanceof Long offset)
                    || !(args.get(2) instanceof List<?> size) || !(args.get(3) instanceof List<?> stride)) {
                throw new IllegalArgumentException("it takes (storage, offset, size, stride, ...)");
            }
            @SuppressWarnings("unchecked") List<Object> sz = (List<Object>) size;
            @SuppressWarnings("unchecked") List<Object> st = (List<Object>) stride;
            return new TorchStorage.View(s, offset, sz, st);
        };
        g.put("torch._utils _rebuild_tensor", rebuild);
        g.put("torch._utils _rebuild_tensor_v2", rebuild);
        Unpickler.Callable parameter = args -> args.getFirst();
        g.put("torch._utils _rebuild_parameter", parameter);
        g.put("torch._utils _rebuild_parameter_with_state", parameter);
        g.put("torch._tensor _rebuild_from_type_v2", args -> {
            // (func, type, args, state): a Tensor or Parameter with Python attributes; the attributes are dropped.
            if (!(args.get(0) instanceof Unpickler.Global func) || !GLOBALS.containsKey(func.module() + " " + func.name())
                    || !(args.get(2) instanceof List<?> inner)) {
                throw new IllegalArgumentException("it may call only the allowed globals");
            }
            @SuppressWarnings("unchecked") List<Object> a = (List<Object>) inner;
            return GLOBALS.get(func.module() + " " + func.name()).call(a);
        });
        g.put("torch device", args -> args.size() == 2 && args.get(1) != null ? args.get(0) + ":" + args.get(1) : args.getFirst());
        g.put("torch Size", args -> args.getFirst());
        g.put("_codecs encode", args -> ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1));
        // A Counter (MultiStepLR's milestones) and a defaultdict are dicts; the defaultdict's factory is never called.
        g.put("collections Counter", args -> args.isEmpty() ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<?, ?>) args.getFirst()));
        g.put("collections defaultdict", args -> new LinkedHashMap<>());
        NumpyValues.register(g);
        Unpickler.Callable set = args -> new LinkedHashSet<>(Unpickler.frozenSet(args.isEmpty() ? List.of() : (List<?>) args.getFirst()));
        Unpickler.Callable frozen = args -> Unpickler.frozenSet(args.isEmpty() ? List.of() : (List<?>) args.getFirst());
        g.put("builtins set", set);
        g.put("__builtin__ set", set);
        g.put("builtins frozenset", frozen);
        g.put("__builtin__ frozenset", frozen);
        return Map.copyOf(g);
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * {@code torch.save(value, path)} in the zip layout that every PyTorch since 1.6 reads, with
     * each tensor's data in its own record, 64-byte aligned as PyTorch writes them. Values are
     * tensors (saved contiguous, on the CPU), maps (as {@code OrderedDict}), lists, strings,
     * numbers, booleans and null. The file is written atomically.
     */
    public static void save(Object value, Path path) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        byte[] pickle = Pickler.dump(value, t -> {
            tensors.add(t);
            return Integer.toString(tensors.size() - 1);
        });
        AtomicFile.write(path, out -> {
            CountingStream counted = new CountingStream(out);
            try (ZipOutputStream zip = new ZipOutputStream(counted)) {
                stored(zip, counted, ARCHIVE + "data.pkl", pickle);
                for (int i = 0; i < tensors.size(); i++) {
                    stored(zip, counted, ARCHIVE + "data/" + i, SafeTensors.bytes(tensors.get(i)));
                }
                stored(zip, counted, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
                stored(zip, counted, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    /** An uncompressed record whose data starts on a 64-byte boundary (padding in an "FB" extra field, as PyTorch's writer). */
    private static void stored(ZipOutputStream zip, CountingStream counted, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTimeLocal(LocalDateTime.of(2000, 1, 1, 0, 0));
        long header = counted.count + 30 + name.getBytes(StandardCharsets.UTF_8).length;
        int pad = (int) ((ALIGNMENT - header % ALIGNMENT) % ALIGNMENT);
        if (pad > 0) {
            if (pad < 4) {
                pad += ALIGNMENT;
            }
            byte[] extra = new byte[pad];
            extra[0] = 'F';
            extra[1] = 'B';
            extra[2] = (byte) (pad - 4);
            extra[3] = (byte) ((pad - 4) >> 8);
            java.util.Arrays.fill(extra, 4, pad, (byte) 'Z');
            e.setExtra(extra);
        }
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Counts the bytes written so far, which is where the next zip record's local header starts. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
