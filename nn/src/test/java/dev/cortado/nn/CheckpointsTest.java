package dev.cortado.nn;

import dev.cortado.io.SafeTensors;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** safetensors checkpoints: exact round trips, the published byte layout, and every corrupt-file error. */
class CheckpointsTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** Every parameter and buffer of b holds a's bits. */
    private static void assertSameState(Module a, Module b) {
        for (var e : a.stateDict().entrySet()) {
            Tensor other = b.stateDict().get(e.getKey());
            if (e.getValue().dtype() == dev.cortado.tensor.DType.INT64) {
                assertArrayEquals(e.getValue().toLongArray(), other.toLongArray(), e.getKey());
            } else {
                assertArrayEquals(e.getValue().toFloatArray(), other.toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void saveThenLoadIsBitIdentical(@TempDir Path dir) throws IOException {
        Cortado.manualSeed(3);
        ModuleTest.Net a = new ModuleTest.Net();
        a.forward(Tensor.randn(4, 1, 4, 4));
        Path file = dir.resolve("net.safetensors");
        Checkpoints.save(a, file);
        Cortado.manualSeed(4);
        ModuleTest.Net b = new ModuleTest.Net();
        Checkpoints.load(b, file);
        assertSameState(a, b);
        a.eval();
        b.eval();
        Tensor x = Tensor.randn(3, 1, 4, 4);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    /** Built by hand from the format's spec: u64 header size, JSON header, raw little-endian data. */
    @Test
    void readsAFileWrittenFromTheSpec(@TempDir Path dir) throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 40).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float f : new float[] {1, 2, 3, -4, 0.5f, 6}) {
            buf.putFloat(f);
        }
        buf.putLong(7).putLong(-1L << 40);
        Path file = dir.resolve("spec.safetensors");
        Files.write(file, buf.array());
        SafeTensors.Contents c = SafeTensors.read(file);
        assertArrayEquals(new float[] {1, 2, 3, -4, 0.5f, 6}, c.tensors().get("a").toFloatArray());
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(new long[] {7, -1L << 40}, c.tensors().get("b").toLongArray());
        assertEquals(Map.of("format", "pt"), c.metadata());
        Path back = dir.resolve("back.safetensors");
        SafeTensors.write(back, c.tensors(), c.metadata());
        byte[] written = Files.readAllBytes(back);
        long n = ByteBuffer.wrap(written, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data section 8-byte aligned");
        assertArrayEquals(Arrays.copyOfRange(buf.array(), buf.capacity() - 40, buf.capacity() - 16),
                Arrays.copyOfRange(written, (int) (8 + n) + 16, (int) (8 + n) + 40), "F32 bytes unchanged (written after b)");
    }

    /** Other dtypes convert as PyTorch's {@code tensor.float()} / {@code tensor.long()} would: float16 and bfloat16 exactly, float64 rounded. */
    @Test
    void readsNarrowAndWideDtypesAsFloat32AndInt64(@TempDir Path dir) throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                + "\"s\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[20,22]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[22,23]},"
                + "\"c\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[23,24]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[2,1],\"data_offsets\":[24,26]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 26).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.putShort(Float.floatToFloat16(-1.5f)).putShort(Float.floatToFloat16(65504f));
        buf.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-0.15625f) >>> 16));
        buf.putDouble(0.1).putInt(-7).putShort((short) -300).put((byte) 200).put((byte) -5).put((byte) 1).put((byte) 0);
        Path file = dir.resolve("mixed.safetensors");
        Files.write(file, buf.array());
        Map<String, Tensor> t = SafeTensors.read(file).tensors();
        assertArrayEquals(new float[] {-1.5f, 65504f}, t.get("h").toFloatArray());
        assertArrayEquals(new float[] {3.0f, -0.15625f}, t.get("bf").toFloatArray());
        assertArrayEquals(new float[] {0.1f}, t.get("d").toFloatArray());
        assertArrayEquals(new long[] {-7}, t.get("i").toLongArray());
        assertArrayEquals(new long[] {-300}, t.get("s").toLongArray());
        assertArrayEquals(new long[] {200}, t.get("u").toLongArray());
        assertArrayEquals(new long[] {-5}, t.get("c").toLongArray());
        assertArrayEquals(new long[] {1, 0}, t.get("b").toLongArray());
        assertArrayEquals(new int[] {2, 1}, t.get("b").shape());
        assertEquals(dev.cortado.tensor.DType.INT64, t.get("b").dtype());
    }

    private static Path corrupt(Path dir, String header, int dataBytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        Path f = dir.resolve("bad" + header.hashCode() + "-" + dataBytes + ".safetensors");
        Files.write(f, buf.array());
        return f;
    }

    private static void rejects(Path file, String... parts) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void corruptFilesAreRejectedByName(@TempDir Path dir) throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        rejects(corrupt(dir, ok, 4), "data_offsets [0, 8] outside the 4-byte data section");
        rejects(corrupt(dir, ok, 12), "data section is 12 bytes but the tensors cover 8");
        rejects(corrupt(dir, "{\"a\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "dtype U16");
        rejects(corrupt(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
        rejects(corrupt(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlaps");
        rejects(corrupt(dir, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", 8), "not valid JSON");
        rejects(corrupt(dir, "[1,2]", 0), "not a JSON object");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        rejects(tiny, "shorter than the 8-byte header length");
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
        rejects(huge, "header length 1000");
        assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("missing.safetensors")));
    }

    @Test
    void loadingTheWrongModelListsTheMismatches(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("linear.safetensors");
        Checkpoints.save(new Linear(4, 3), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(new Linear(4, 2), file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("weight: checkpoint (3, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.load(new Linear(4, 3, false), file));
        assertTrue(e.getMessage().contains("unexpected keys: [bias]"), e.getMessage());
    }

    private static Path torchFixture(Path dir, String name) throws IOException {
        try (var in = CheckpointsTest.class.getResourceAsStream("/torch/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    /** PyTorch's state dict of the same Sequential gives PyTorch's output (printed by make_fixtures.py's net, eval mode). */
    @Test
    void loadsAStateDictSavedByTorchSave(@TempDir Path dir) throws IOException {
        Module net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(8, 3));
        Checkpoints.load(net, torchFixture(dir, "net.pt"));
        net.eval();
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = (i % 5) * 0.1f;
        }
        float[] y = net.forward(Tensor.fromArray(x, 2, 1, 4, 4)).toFloatArray();
        float[] want = {681.545654296875f, 454.17706298828125f, 226.8084259033203f, 649.0335693359375f, 432.6824035644531f,
            216.33120727539062f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y[i], 1e-5 * Math.abs(want[i]), "output " + i);
        }
        Module legacy = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(8, 3));
        Checkpoints.load(legacy, torchFixture(dir, "net_legacy.pt"));
        assertArrayEquals(net.stateDict().get("3.weight").toFloatArray(), legacy.stateDict().get("3.weight").toFloatArray());
        assertArrayEquals(new long[] {7}, legacy.stateDict().get("1.num_batches_tracked").toLongArray());
    }

    @Test
    void aPtOrPthNameSavesInTorchSavesFormat(@TempDir Path dir) throws IOException {
        Cortado.manualSeed(3);
        ModuleTest.Net a = new ModuleTest.Net();
        a.forward(Tensor.randn(4, 1, 4, 4));
        for (String name : new String[] {"net.pt", "net.PTH"}) {
            Path file = dir.resolve(name);
            Checkpoints.save(a, file);
            assertTrue(dev.cortado.io.TorchSerialization.isTorchFile(file), name);
            ModuleTest.Net b = new ModuleTest.Net();
            Checkpoints.load(b, file);
            assertSameState(a, b);
        }
        Path safetensors = dir.resolve("net.safetensors");
        Checkpoints.save(a, safetensors);
        assertFalse(dev.cortado.io.TorchSerialization.isTorchFile(safetensors));
    }

    /** A training checkpoint's entry, and a non-strict load that reports what it left out, as load_state_dict(strict=False). */
    @Test
    void loadsAnEntryOfACheckpointAndLoadsNonStrictly(@TempDir Path dir) throws IOException {
        Sequential two = new Sequential(new Linear(4, 3), new Linear(3, 2));
        Path file = dir.resolve("ckpt.pt");
        dev.cortado.io.TorchSerialization.save(Map.of("model_state_dict", two.stateDict(), "epoch", 3), file);
        Sequential copy = new Sequential(new Linear(4, 3), new Linear(3, 2));
        assertEquals(new IncompatibleKeys(java.util.List.of(), java.util.List.of()), Checkpoints.load(copy, file, "model_state_dict", true));
        assertSameState(two, copy);
        Sequential head = new Sequential(new Linear(4, 3));
        IncompatibleKeys left = Checkpoints.load(head, file, "model_state_dict", false);
        assertEquals(java.util.List.of("1.weight", "1.bias"), left.unexpectedKeys());
        assertArrayEquals(two.stateDict().get("0.weight").toFloatArray(), head.stateDict().get("0.weight").toFloatArray());
        IOException e = assertThrows(IOException.class, () -> Checkpoints.load(head, file, "state_dict", true));
        assertTrue(e.getMessage().contains("has no entry \"state_dict\"; its keys are [") && e.getMessage().contains("model_state_dict"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> Checkpoints.load(head, file, "epoch", true));
        assertTrue(e.getMessage().contains("entry \"epoch\" is a Long, not a state dict"), e.getMessage());
        Path safetensors = dir.resolve("two.safetensors");
        Checkpoints.save(two, safetensors);
        e = assertThrows(IOException.class, () -> Checkpoints.load(head, safetensors, "model", true));
        assertTrue(e.getMessage().contains("is not a torch.save file, so it has no entry \"model\""), e.getMessage());
    }

    @Test
    void aTrainingCheckpointOrAMissingFileIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = torchFixture(dir, "checkpoint.pt");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.load(new Linear(2, 2), file));
        assertTrue(e.getMessage().contains("checkpoint.pt is a training checkpoint with keys [model, epoch")
                && e.getMessage().contains("Checkpoints.load(module, path, \"model\", true)"), e.getMessage());
        e = assertThrows(IOException.class, () -> Checkpoints.load(new Linear(2, 2), dir.resolve("none.pt")));
        assertTrue(e.getMessage().contains("Checkpoints.load: no such file"), e.getMessage());
    }
}
