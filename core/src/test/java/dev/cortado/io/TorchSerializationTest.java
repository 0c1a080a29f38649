package dev.cortado.io;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torch.save files written by PyTorch 1.13 ({@code src/test/resources/torch/make_fixtures.py})
 * load with their exact values, files Cortado writes have torch.save's layout, and every damaged
 * or unsafe file is refused by name.
 */
class TorchSerializationTest {
    private static final Device DEV = ReferenceBackend.DEVICE;

    static Path fixture(Path dir, String name) throws IOException {
        try (InputStream in = TorchSerializationTest.class.getResourceAsStream("/torch/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    /** make_fixtures.py's net: entry i is arange * 0.25 - i, running_var arange * 0.25 + 1, the counter 7. */
    private static void assertNetState(Map<String, Tensor> s) {
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(s.keySet()));
        int i = 0;
        for (var e : s.entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey().endsWith("num_batches_tracked")) {
                assertEquals(DType.INT64, t.dtype());
                assertArrayEquals(new int[0], t.shape());
                assertArrayEquals(new long[] {7}, t.toLongArray());
            } else {
                float[] want = new float[t.numel()];
                for (int k = 0; k < want.length; k++) {
                    want[k] = e.getKey().endsWith("running_var") ? k * 0.25f + 1 : k * 0.25f - i;
                }
                assertArrayEquals(want, t.toFloatArray(), e.getKey());
            }
            i++;
        }
        assertArrayEquals(new int[] {2, 1, 3, 3}, s.get("0.weight").shape());
        assertArrayEquals(new int[] {3, 8}, s.get("3.weight").shape());
    }

    @Test
    void readsAStateDictOfTheZipLayout(@TempDir Path dir) throws IOException {
        Path file = fixture(dir, "net.pt");
        assertTrue(TorchSerialization.isTorchFile(file));
        assertNetState(TorchSerialization.loadStateDict(file, DEV));
        assertEquals(DEV, TorchSerialization.loadStateDict(file, DEV).get("0.bias").device());
    }

    @Test
    void readsTheLegacyLayoutOfBeforePyTorch16(@TempDir Path dir) throws IOException {
        Path file = fixture(dir, "net_legacy.pt");
        assertTrue(TorchSerialization.isTorchFile(file));
        assertNetState(TorchSerialization.loadStateDict(file, DEV));
    }

    /**
     * Pickle protocol 4 in both layouts, and PyTorch 2's archive: records under "archive/" with
     * the extra records it writes (byteorder, .format_version, .storage_alignment, .data/).
     */
    @Test
    void readsProtocol4AndPyTorch2sArchive(@TempDir Path dir) throws IOException {
        for (String name : List.of("protocol4.pt", "protocol4_legacy.pt")) {
            Path file = fixture(dir, name);
            assertTrue(TorchSerialization.isTorchFile(file), name);
            Map<String, Tensor> s = TorchSerialization.loadStateDict(file, DEV);
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, s.get("w").toFloatArray(), name);
            assertArrayEquals(new long[] {3}, s.get("n").toLongArray(), name);
        }
        Map<String, byte[]> renamed = new LinkedHashMap<>();
        records(fixture(dir, "net.pt")).forEach((k, v) -> renamed.put(k.replaceFirst("^net/", "archive/"), v));
        renamed.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        renamed.put("archive/.format_version", "1".getBytes(StandardCharsets.US_ASCII));
        renamed.put("archive/.storage_alignment", "64".getBytes(StandardCharsets.US_ASCII));
        renamed.put("archive/.data/serialization_id", "0123456789".getBytes(StandardCharsets.US_ASCII));
        renamed.put("archive/.data/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        assertNetState(TorchSerialization.loadStateDict(rezip(dir, "torch2.pt", renamed, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)),
                DEV));
    }

    @Test
    void convertsEveryStorageTypeAndCopiesViewsOut(@TempDir Path dir) throws IOException {
        Map<String, Tensor> s = TorchSerialization.loadStateDict(fixture(dir, "dtypes_views.pt"), DEV);
        assertArrayEquals(new float[] {0, 1 / 3f, 2 / 3f}, s.get("float64").toFloatArray());
        assertArrayEquals(new float[] {0.5f, -2, 65504}, s.get("float16").toFloatArray());
        // bfloat16(1e30) as PyTorch rounds it: 0x714a0000.
        assertArrayEquals(new float[] {1.5f, -3, Float.intBitsToFloat(0x714a0000)}, s.get("bfloat16").toFloatArray());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, s.get("int32").toLongArray());
        assertArrayEquals(new long[] {-32768, 1, 32767}, s.get("int16").toLongArray());
        assertArrayEquals(new long[] {-128, 1, 127}, s.get("int8").toLongArray());
        assertArrayEquals(new long[] {0, 128, 255}, s.get("uint8").toLongArray());
        assertArrayEquals(new long[] {1, 0, 1}, s.get("bool").toLongArray());
        assertArrayEquals(new long[] {-(1L << 62), 5}, s.get("int64").toLongArray());
        assertEquals(DType.INT64, s.get("bool").dtype());
        assertEquals(DType.FLOAT32, s.get("float64").dtype());
        assertArrayEquals(new int[0], s.get("scalar").shape());
        assertArrayEquals(new float[] {2.5f}, s.get("scalar").toFloatArray());
        assertArrayEquals(new int[] {0, 3}, s.get("empty").shape());
        assertArrayEquals(new int[] {4, 3}, s.get("transposed").shape());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, s.get("transposed").toFloatArray());
        assertArrayEquals(new float[] {6, 10}, s.get("column").toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, s.get("base").toFloatArray());
    }

    @Test
    void readsACheckpointOfPythonValues(@TempDir Path dir) throws IOException {
        Map<?, ?> c = (Map<?, ?>) TorchSerialization.load(fixture(dir, "checkpoint.pt"), DEV);
        assertArrayEquals(new float[] {1, 1, 1, 1}, ((Tensor) ((Map<?, ?>) c.get("model")).get("w")).toFloatArray());
        assertEquals(3L, c.get("epoch"));
        assertEquals(BigInteger.TWO.pow(70), c.get("big"));
        assertEquals(0.875, c.get("best"));
        assertEquals("lenet", c.get("name"));
        assertEquals(List.of(1.0, 0.5), c.get("history"));
        assertInstanceOf(ArrayList.class, c.get("history"));
        assertEquals(List.of(2L, 3L), c.get("shape"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) c.get("shape")).clear(), "a tuple stays immutable");
        Map<?, ?> flags = (Map<?, ?>) c.get("flags");
        assertTrue(flags.containsKey(true));
        assertNull(flags.get(true));
        assertEquals("four", flags.get(4L));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) c.get("bytes"));
        assertEquals("cuda:1", c.get("device"));
        assertEquals(List.of(5L, 6L), c.get("size"));
        assertArrayEquals(new float[] {1.5f, 1.5f}, ((Tensor) c.get("param")).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, TorchSerialization.asStateDict(c.get("model")).get("w").toFloatArray());
        IllegalArgumentException notState = assertThrows(IllegalArgumentException.class, () -> TorchSerialization.asStateDict(c.get("epoch")));
        assertEquals("a Long, not a state dict", notState.getMessage());
        IOException e = assertThrows(IOException.class, () -> TorchSerialization.loadStateDict(dir.resolve("checkpoint.pt"), DEV));
        assertTrue(e.getMessage().contains("[model, epoch, big,") && e.getMessage().contains("entry model is a LinkedHashMap"), e.getMessage());
    }

    /** numpy scalars and arrays are read from their dtype, order and bytes; Counter and defaultdict are dicts. */
    @Test
    void readsNumpyValuesAndDictSubclasses(@TempDir Path dir) throws IOException {
        Map<?, ?> c = (Map<?, ?>) TorchSerialization.load(fixture(dir, "numpy_values.pt"), DEV);
        assertEquals(0.875, c.get("acc"));
        assertEquals(-3L, c.get("count"));
        assertEquals(true, c.get("flag"));
        assertEquals((double) 0.1f, c.get("small"));
        Tensor cOrder = (Tensor) c.get("c_order");
        assertArrayEquals(new int[] {2, 3}, cOrder.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, cOrder.toFloatArray());
        Tensor fOrder = (Tensor) c.get("f_order");
        assertEquals(DType.INT64, fOrder.dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, fOrder.toLongArray(), "column-major bytes, row-major tensor");
        assertArrayEquals(new float[] {1.5f, -2}, ((Tensor) c.get("big_endian")).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 65504}, ((Tensor) c.get("half")).toFloatArray());
        assertArrayEquals(new long[] {1, 0}, ((Tensor) c.get("mask")).toLongArray());
        assertArrayEquals(new long[] {0, 200}, ((Tensor) c.get("bytes")).toLongArray());
        Map<?, ?> scheduler = (Map<?, ?>) c.get("scheduler");
        assertEquals(Map.of(30L, 1L, 60L, 1L), scheduler.get("milestones"));
        assertEquals(List.of(0.1), scheduler.get("base_lrs"));
        assertEquals(Map.of("a", List.of(1L)), c.get("groups"));
    }

    /** pickle.load of a plain file: numpy arrays stay arrays of bytes, column-major ones reordered to row-major. */
    @Test
    void loadsAPlainPickle(@TempDir Path dir) throws IOException {
        Map<?, ?> m = (Map<?, ?>) TorchSerialization.loadPickle(fixture(dir, "plain.pkl"));
        NumpyArray pixels = (NumpyArray) m.get("pixels");
        assertEquals("u1", pixels.dtype());
        assertArrayEquals(new int[] {2, 3}, pixels.shape());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, pixels.data());
        assertEquals(5, pixels.unsignedByte(5));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, pixels.toTensor(DEV).toLongArray());
        NumpyArray fortran = (NumpyArray) m.get("fortran");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, fortran.toTensor(DEV).toFloatArray());
        assertEquals(3L, m.get("count"));
        assertEquals("x", m.get("name"));
        IOException e = assertThrows(IOException.class, () -> TorchSerialization.loadPickle(fixture(dir, "net.pt")));
        assertTrue(e.getMessage().startsWith("pickle.load: "), e.getMessage());
        IllegalStateException notBytes = assertThrows(IllegalStateException.class, () -> fortran.unsignedByte(0));
        assertTrue(notBytes.getMessage().contains("this one is f8"), notBytes.getMessage());
    }

    @Test
    void refusesToBuildObjectsOfAnyOtherClass(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> TorchSerialization.load(fixture(dir, "custom_class.pt"), DEV));
        assertTrue(e.getMessage().contains("custom_class.pt") && e.getMessage().contains("'__main__.Custom', which is not allowed"),
                e.getMessage());
        // A pickle calling os.system: refused by name before anything runs.
        byte[] evil = "\u0080\u0002cposix\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(IOException.class, () -> unpickle(evil));
        assertTrue(e.getMessage().contains("'posix.system', which is not allowed"), e.getMessage());
    }

    /** Python 3's pickle.dumps of the same data in protocol 0 (text opcodes), 4 and 5 (frames, memoize, stack globals). */
    @Test
    void runsEveryProtocolsOpcodes() throws IOException {
        byte[] p0 = ("(dp0\nVa\np1\n(lp2\nI1\naF2.5\naVx\u00e9\np3\naNaI01\naI-7\naL100000000000000000000L\nasVb\np4\n(I1\ntp5\nsVc\n"
                + "p6\nc_codecs\nencode\np7\n(V\u0001\np8\nVlatin1\np9\ntp10\nRp11\ns.").getBytes(StandardCharsets.ISO_8859_1);
        Map<?, ?> m = (Map<?, ?>) unpickle(p0);
        assertEquals(List.of(1L, 2.5, "x\u00e9", "null", true, -7L, new BigInteger("100000000000000000000")),
                ((List<?>) m.get("a")).stream().map(v -> v == null ? "null" : v).toList());
        assertEquals(List.of(1L), m.get("b"));
        assertArrayEquals(new byte[] {1}, (byte[]) m.get("c"));
        String body = "955e000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0161945d94284b01474004"
                + "0000000000008c0178944e8f94284b0390658c0162944b014b0286948c01639443020102948c016494284b049194752e";
        for (String protocol : List.of("8004", "8005")) {
            Map<?, ?> o = (Map<?, ?>) unpickle(HexFormat.of().parseHex(protocol + body));
            List<?> a = (List<?>) o.get("a");
            assertEquals(List.of(1L, 2.5, "x"), a.subList(0, 3));
            assertNull(a.get(3));
            assertEquals(Set.of(3L), a.get(4));
            assertEquals(List.of(1L, 2L), o.get("b"));
            assertArrayEquals(new byte[] {1, 2}, (byte[]) o.get("c"));
            assertEquals(Set.of(4L), o.get("d"));
        }
    }

    private static Object unpickle(byte[] pickle) throws IOException {
        return new Unpickler("test.pkl", ByteBuffer.wrap(pickle), Map.of("_codecs encode",
                args -> ((String) args.get(0)).getBytes(StandardCharsets.ISO_8859_1), "collections OrderedDict", args -> new LinkedHashMap<>()),
                pid -> {
                    throw new IOException("no storages here");
                }).load();
    }

    @Test
    void writesTorchSavesZipLayoutAndReadsItBack(@TempDir Path dir) throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("w", Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, DEV).t());
        state.put("steps", Tensor.fromArray(new long[] {-(1L << 40)}, new int[0], DEV));
        state.put("empty", Tensor.fromArray(new float[0], new int[] {0, 4}, DEV));
        state.put("epoch", 3);
        state.put("huge", new BigInteger("-1180591620717411303424"));
        state.put("lr", 0.1);
        state.put("name", "h\u00e9llo");
        state.put("list", List.of(1L, "x", List.of(), 70000L, -300L, 1L << 40));
        state.put("nothing", null);
        state.put("flag", false);
        Map<Object, Object> byParam = new LinkedHashMap<>();
        byParam.put(0L, Map.of("momentum_buffer", Tensor.fromArray(new float[] {0.5f}, new int[] {1}, DEV)));
        state.put("state", byParam);
        Path file = dir.resolve("out.pt");
        TorchSerialization.save(state, file);

        Map<?, ?> back = (Map<?, ?>) TorchSerialization.load(file, DEV);
        assertArrayEquals(new int[] {3, 2}, ((Tensor) back.get("w")).shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, ((Tensor) back.get("w")).toFloatArray());
        assertArrayEquals(new long[] {-(1L << 40)}, ((Tensor) back.get("steps")).toLongArray());
        assertArrayEquals(new int[] {0, 4}, ((Tensor) back.get("empty")).shape());
        assertEquals(3L, back.get("epoch"));
        assertEquals(new BigInteger("-1180591620717411303424"), back.get("huge"));
        assertEquals(0.1, back.get("lr"));
        assertEquals("h\u00e9llo", back.get("name"));
        assertEquals(List.of(1L, "x", List.of(), 70000L, -300L, 1L << 40), back.get("list"));
        assertTrue(back.containsKey("nothing") && back.get("nothing") == null);
        assertEquals(false, back.get("flag"));
        Tensor buf = (Tensor) ((Map<?, ?>) ((Map<?, ?>) back.get("state")).get(0L)).get("momentum_buffer");
        assertArrayEquals(new float[] {0.5f}, buf.toFloatArray());

        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertEquals(List.of("archive/data.pkl", "archive/data/0", "archive/data/1", "archive/data/2", "archive/data/3",
                    "archive/version", "archive/byteorder"), names);
            assertEquals("3\n", new String(zip.getInputStream(zip.getEntry("archive/version")).readAllBytes(), StandardCharsets.US_ASCII));
            assertTrue(zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED));
        }
        assertRecordsAligned(Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    /** Walks the local headers: each record's data starts on a 64-byte boundary, as in PyTorch's files. */
    private static void assertRecordsAligned(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int records = 0;
        while (b.getInt(at) == 0x04034b50) {
            int size = b.getInt(at + 18);
            int data = at + 30 + (b.getShort(at + 26) & 0xffff) + (b.getShort(at + 28) & 0xffff);
            assertEquals(0, data % 64, "record " + records + " data at " + data);
            at = data + size;
            records++;
        }
        assertEquals(7, records);
    }

    @Test
    void refusesValuesThatHaveNoPickle(@TempDir Path dir) {
        Path file = dir.resolve("bad.pt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchSerialization.save(Map.of("a", List.of(1, new Object())), file));
        assertTrue(e.getMessage().contains("cannot save a java.lang.Object at [a][1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TorchSerialization.save(Map.of(List.of(), 1), file));
        assertTrue(e.getMessage().contains("keys must be strings or integers"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void namesTheFileAndTheRuleForDamagedFiles(@TempDir Path dir) throws IOException {
        assertRefused(dir.resolve("missing.pt"), "no such file");
        Path text = dir.resolve("text.pt");
        Files.writeString(text, "hello, not a checkpoint");
        assertFalse(TorchSerialization.isTorchFile(text));
        assertRefused(text, "not a torch.save file");

        Path good = dir.resolve("good.pt");
        TorchSerialization.save(Map.of("w", Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, DEV)), good);
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 30));
        assertRefused(cut, "damaged zip archive");

        Map<String, byte[]> records = records(good);
        assertRefused(rezip(dir, "nopkl.pt", records, "archive/data.pkl", null), "without a data.pkl record");
        assertRefused(rezip(dir, "nodata.pt", records, "archive/data/0", null), "has no record archive/data/0");
        assertRefused(rezip(dir, "short.pt", records, "archive/data/0", new byte[8]),
                "storage 0 holds 8 bytes, but its 6 FloatStorage elements need 24");
        assertRefused(rezip(dir, "script.pt", records, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}), "TorchScript");
        assertRefused(rezip(dir, "order.pt", records, "archive/byteorder", "middle".getBytes(StandardCharsets.US_ASCII)),
                "unknown byteorder");
        byte[] pickle = records.get("archive/data.pkl");
        assertRefused(rezip(dir, "trunc.pt", records, "archive/data.pkl", java.util.Arrays.copyOf(pickle, pickle.length - 3)),
                "ends before its STOP");
        // The storage id says 5 elements; the (2, 3) view then reads element 5.
        byte[] five = replace(pickle, "cpuK\u0006t", "cpuK\u0005t");
        Map<String, byte[]> fewer = new LinkedHashMap<>(records);
        fewer.put("archive/data/0", new byte[20]);
        assertRefused(rezip(dir, "view.pt", fewer, "archive/data.pkl", five),
                "tensor ['w'] (size [2, 3], stride [3, 1], offset 0) reads element 5 of storage 0, which has 5");
        byte[] complex = replace(pickle, "FloatStorage", "ComplexFloatStorag");
        assertRefused(rezip(dir, "complex.pt", records, "archive/data.pkl", complex), "storage type torch.ComplexFloatStorag is not supported");
        byte[] opcode = replace(pickle, "Q", "\u00ff");
        assertRefused(rezip(dir, "opcode.pt", records, "archive/data.pkl", opcode), "unsupported pickle opcode 0xff");
    }

    /** A damaged pickle can make a dict its own key or a list its own element; neither may hang or overflow the stack. */
    @Test
    void refusesValuesThatContainThemselves(@TempDir Path dir) throws IOException {
        byte[] ownKey = "\u0080\u0002}q\u0000h\u0000Ns.".getBytes(StandardCharsets.ISO_8859_1);
        IOException e = assertThrows(IOException.class, () -> unpickle(ownKey));
        assertTrue(e.getMessage().contains("unhashable type: 'dict' as a dict key"), e.getMessage());
        Path good = dir.resolve("good.pt");
        TorchSerialization.save(Map.of("w", Tensor.fromArray(new float[] {1}, new int[] {1}, DEV)), good);
        byte[] ownElement = "\u0080\u0002]q\u0000h\u0000a.".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(rezip(dir, "cycle.pt", records(good), "archive/data.pkl", ownElement), "the value at [0] contains itself");
        byte[] digits = ("I" + "9".repeat(5000) + "\n.").getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(IOException.class, () -> unpickle(digits));
        assertTrue(e.getMessage().contains("an integer of 5000 digits, more than Python's 4300"), e.getMessage());
        StringBuilder deep = new StringBuilder("\u0080\u0002");
        deep.append("]".repeat(1500)).append("a".repeat(1499)).append('.');
        assertRefused(rezip(dir, "deep.pt", records(good), "archive/data.pkl", deep.toString().getBytes(StandardCharsets.ISO_8859_1)),
                "values nested more than 1000 deep");
    }

    /** Strides of 2⁶² twice: the last element's offset overflows a long, which must not wrap to a valid-looking index. */
    @Test
    void refusesAViewWhoseReachOverflows(@TempDir Path dir) throws IOException {
        String big = "\u008a\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0040";
        String pickle = "\u0080\u0002}X\u0001\u0000\u0000\u0000wctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storage"
                + "ctorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0004tQK\u0000(K\u0002K\u0002t(" + big + big
                + "t\u0089ccollections\nOrderedDict\n)RtRs.";
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/data.pkl", pickle.getBytes(StandardCharsets.ISO_8859_1));
        records.put("archive/data/0", new byte[16]);
        assertRefused(rezip(dir, "overflow.pt", records, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)),
                "reads element 9223372036854775807 of storage 0, which has 4");
    }

    @Test
    void checksTheLegacyLayoutsFraming(@TempDir Path dir) throws IOException {
        byte[] all = Files.readAllBytes(fixture(dir, "net_legacy.pt"));
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4));
        assertRefused(cut, "storage");
        byte[] magic = all.clone();
        magic[4] ^= 1;
        Path wrong = dir.resolve("magic.pt");
        Files.write(wrong, magic);
        assertRefused(wrong, "wrong magic number");
    }

    private static void assertRefused(Path file, String message) {
        IOException e = assertThrows(IOException.class, () -> TorchSerialization.load(file, DEV));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] replace(byte[] data, String from, String to) {
        String s = new String(data, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from), from);
        return s.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, byte[]> records(Path file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                out.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    /** A copy of {@code records} with {@code name} replaced by {@code data}, or left out where data is null. */
    private static Path rezip(Path dir, String file, Map<String, byte[]> records, String name, byte[] data) throws IOException {
        Map<String, byte[]> changed = new LinkedHashMap<>(records);
        if (data == null) {
            changed.remove(name);
        } else {
            changed.put(name, data);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : changed.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        Path p = dir.resolve(file);
        Files.write(p, bytes.toByteArray());
        return p;
    }

    @Test
    void setsAndFrozenSetsKeepTheirOrder() throws IOException {
        byte[] p = HexFormat.of().parseHex("80048f94284b034b014b029094" + "2e");
        assertEquals(new ArrayList<>(new LinkedHashSet<>(List.of(3L, 1L, 2L))), new ArrayList<>((Set<?>) unpickle(p)));
    }
}
